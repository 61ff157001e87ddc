// The documents module's long-lived parts: the event hub that fans committed envelope events out to
// this process's subscribers, and the delivery of envelopes to recipients outside the platform
// (exchange-outbox.ts), run by the job runner when NATIONAL_EXCHANGE_URL is set.
import { defineModule } from '../../kernel/module';
import { startDocumentEventHub, type DocumentEventHub } from './document-events';
import { exchangeDeliveryTasks } from './exchange-outbox';

declare module '../../kernel/module' {
  interface ModuleServices {
    documents: { events: DocumentEventHub };
  }
}

export const documentsModule = defineModule({
  name: 'documents',
  async start({ database }) {
    const events = await startDocumentEventHub(database);
    return { services: { events }, stop: () => events.close() };
  },
  // Without an exchange to send to, envelopes to recipients outside the platform wait (deliveryState PENDING).
  tasks: (platform) => {
    const { config } = platform;
    if (!config.NATIONAL_EXCHANGE_URL) return {};
    return exchangeDeliveryTasks({
      platform,
      settings: { url: config.NATIONAL_EXCHANGE_URL, timeoutMs: config.NATIONAL_EXCHANGE_TIMEOUT_MS, retryBaseMs: config.EXCHANGE_RETRY_BASE_MS, maxAttempts: config.EXCHANGE_MAX_ATTEMPTS },
    });
  },
});
