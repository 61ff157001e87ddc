// What a module declares to the platform besides its schema: its long-lived services (event hubs,
// workers) with their start and stop. src/modules/index.ts lists the modules; main.ts and
// startServer start them in that order and stop them in reverse. A module's settings are its own
// environment variables, declared in its `<module>.settings.ts` and checked with the core's.
import type { Platform } from '../context/context';
import type { Database } from '../db/database';
import type { JobTasks } from '../jobs/job-runner';
import type { Config } from '../config';
import type { Logger } from '../logger';

/**
 * Each module adds its entry by declaration merging (`declare module '../../kernel/module'`), so the
 * context reaches `ctx.platform.services.dossiers` typed without context.ts importing any module.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ModuleServices {}

export interface ModuleRuntime {
  database: Database;
  config: Config;
  logger: Logger;
}

export interface StartedModule<Services> {
  services: Services;
  stop(): Promise<void>;
}

export interface PlatformModule<Name extends keyof ModuleServices = keyof ModuleServices> {
  name: Name;
  start(runtime: ModuleRuntime): Promise<StartedModule<ModuleServices[Name]>>;
  /** Background tasks the module runs on the job runner (src/jobs/), by name; none when unset. */
  tasks?(platform: Platform): JobTasks;
}

/** Every module's background tasks: what main.ts gives the job runner. */
export const tasksOf = (modules: readonly PlatformModule[], platform: Platform): JobTasks =>
  Object.assign({}, ...modules.map((module) => module.tasks?.(platform) ?? {}));

export const defineModule = <Name extends keyof ModuleServices>(module: PlatformModule<Name>) => module;

/** Starts the modules in order; on a failure stops those already started. */
export async function startModules(modules: readonly PlatformModule[], runtime: ModuleRuntime) {
  const started: { name: string; stop(): Promise<void> }[] = [];
  const services = {} as Record<string, unknown>;
  try {
    for (const module of modules) {
      const { services: moduleServices, stop } = await module.start({ ...runtime, logger: runtime.logger.child({ module: module.name }) });
      services[module.name] = moduleServices;
      started.push({ name: module.name, stop });
    }
  } catch (error) {
    for (const module of started.reverse()) await module.stop().catch(() => undefined);
    throw error;
  }
  return {
    services: services as unknown as ModuleServices,
    async stop() {
      for (const module of [...started].reverse()) await module.stop();
    },
  };
}
