// The documents module's long-lived part: delivering envelopes to recipients outside the platform
// (exchange-outbox.ts), run by the job runner when NATIONAL_EXCHANGE_URL is set.
import { defineModule } from '../../kernel/module';
import { exchangeDeliveryTasks } from './exchange-outbox';

declare module '../../kernel/module' {
  interface ModuleServices {
    documents: Record<string, never>;
  }
}

export const documentsModule = defineModule({
  name: 'documents',
  async start() {
    return { services: {}, stop: async () => undefined };
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
