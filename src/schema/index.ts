// Assembles the schema: importing a module registers its types on the builder.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder';
import './error-codes';
import '../modules/provinces/province.schema';
import '../modules/directory/agency.schema';
import '../modules/directory/official.schema';
import '../modules/directory/official-transfer.schema';
import '../modules/directory/viewer.schema';
import '../modules/procedures/procedure.schema';
import '../modules/calendar/calendar.schema';
import '../modules/files/file.schema';
import '../modules/dossiers/dossier.schema';
import '../modules/documents/document.schema';
import '../modules/dossiers/statistics.schema';
import '../modules/dossiers/portal-sync.schema';
import '../modules/quotas/quota.schema';
import '../modules/audit/audit.schema';

export const schema = builder.toSchema();

export const printedSchema = () => printSchema(lexicographicSortSchema(schema));
