// The dossiers module's long-lived parts: the event hub that fans committed changes out to this
// process's subscribers (PostgreSQL LISTEN/NOTIFY).
import { defineModule } from '../../kernel/module';
import { startDossierEventHub, type DossierEventHub } from './dossier-events';

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
});
