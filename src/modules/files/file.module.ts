// The files module's long-lived part: the job that removes a file nothing took in time (scheduled
// with each upload, see beginUpload), run by the platform's job runner.
import { z } from 'zod';
import { systemContext } from '../../context/context';
import { defineModule } from '../../kernel/module';
import { REMOVE_UNATTACHED_TASK, removeUnattached } from './file.service';

declare module '../../kernel/module' {
  interface ModuleServices {
    files: Record<string, never>;
  }
}

const removal = z.object({ tenantId: z.string().uuid(), fileId: z.string().uuid() });

export const filesModule = defineModule({
  name: 'files',
  async start() {
    return { services: {}, stop: async () => undefined };
  },
  tasks: (platform) => ({
    async [REMOVE_UNATTACHED_TASK](payload) {
      const { tenantId, fileId } = removal.parse(payload);
      const province = await platform.provinces.findById(tenantId);
      if (!province) return; // the province is gone (merged): its rows went with it
      const removed = await systemContext(platform, province, 'remove an unattached file', (ctx) => removeUnattached(ctx, fileId));
      if (removed) platform.logger.info({ fileId, province: province.slug }, 'removed a file nothing took');
    },
  }),
});
