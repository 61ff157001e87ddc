// The dossiers module's long-lived parts: the event hub that fans committed changes out to this
// process's subscribers (PostgreSQL LISTEN/NOTIFY).
import { defineModule } from '../../kernel/module';
import { startDossierEventHub, type DossierEventHub } from './dossier-events';
import { portalSyncTasks } from './portal-sync.service';

declare module '../../kernel/module' {
  interface ModuleServices {
    dossiers: { events: DossierEventHub };
  }
}

export const dossiersModule = defineModule({
  name: 'dossiers',
  async start({ database }) {
    const events = await startDossierEventHub(database);
    return { services: { events }, stop: () => events.close() };
  },
  // Without a portal to send to, status changes wait in the outbox (portalSyncRecords).
  tasks: (platform) => {
    const { config } = platform;
    if (!config.NATIONAL_PORTAL_URL) return {};
    return portalSyncTasks({
      platform,
      settings: {
        url: config.NATIONAL_PORTAL_URL,
        timeoutMs: config.NATIONAL_PORTAL_TIMEOUT_MS,
        retryBaseMs: config.SYNC_RETRY_BASE_MS,
        maxAttempts: config.SYNC_MAX_ATTEMPTS,
      },
    });
  },
});
