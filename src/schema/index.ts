// Assembles the schema: importing a module registers its types on the builder.
import { GraphQLObjectType, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { printSubgraphSchema } from '@apollo/subgraph';
import { REPRESENTATIONS_MAX, fieldCost, type ListArgumentCap } from '../server/operation-limits';
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
import '../modules/indicators/indicators.schema';
import '../modules/dossiers/statistics.schema';
import '../modules/dossiers/portal-sync.schema';
import '../modules/quotas/quota.schema';
import '../modules/audit/audit.schema';

// The served schema is an Apollo Federation 2 subgraph: it also answers `_service { sdl }` and
// `_entities(representations)` for the entities (Province, Procedure, Agency), so that a ministry's
// graph composes with it behind a gateway. Only the directives it uses are imported.
export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key', '@shareable'],
});

// `_entities` is @apollo/subgraph's field, not Pothos': give it the cost rule every list has (its
// selection times the representations it is given) and a cap on those (server/operation-limits.ts).
const entities = schema.getQueryType()?.getFields()._entities;
if (entities) {
  const listArgumentCap: ListArgumentCap = { argument: 'representations', max: REPRESENTATIONS_MAX };
  Object.assign(entities, { extensions: { ...entities.extensions, complexity: fieldCost, listArgumentCap } });
}

/** Federation's plumbing: what a gateway asks, not part of the API clients program against. */
const FEDERATION_FIELDS = new Set(['_entities', '_service']);
const FEDERATION_TYPES = new Set(['_Any', '_Entity', '_Service', 'link__Import', 'link__Purpose', 'federation__FieldSet', 'federation__Scope', 'federation__Policy']);

/** The API as its clients see it: the served schema without federation's fields and types. */
function apiSchemaOf(served: GraphQLSchema): GraphQLSchema {
  const config = served.toConfig();
  const query = served.getQueryType()!.toConfig();
  const apiQuery = new GraphQLObjectType({ ...query, fields: Object.fromEntries(Object.entries(query.fields).filter(([name]) => !FEDERATION_FIELDS.has(name))) });
  return new GraphQLSchema({
    ...config,
    query: apiQuery,
    types: config.types.filter((type) => type.name !== apiQuery.name && !FEDERATION_TYPES.has(type.name)),
    directives: config.directives.filter((directive) => !['link', 'key', 'shareable'].includes(directive.name)),
  });
}

/** schema.graphql: the API, for clients and review. */
export const printedSchema = () => printSchema(lexicographicSortSchema(apiSchemaOf(schema)));

/** schema.subgraph.graphql: the subgraph SDL a gateway composes (what `_service { sdl }` answers). */
export const printedSubgraphSchema = () => printSubgraphSchema(schema);
