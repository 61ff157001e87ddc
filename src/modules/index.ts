// Every module that has long-lived parts, in start order (stopped in reverse). A module with only a
// schema needs no entry here: importing its schema in src/schema/index.ts is enough.
import type { PlatformModule } from '../kernel/module';
import { dossiersModule } from './dossiers/dossier.module';
import { fairShareModule } from '../server/fair-share';
import { filesModule } from './files/file.module';
import { documentsModule } from './documents/document.module';

export const MODULES = [fairShareModule, dossiersModule, filesModule, documentsModule] as readonly PlatformModule[];
