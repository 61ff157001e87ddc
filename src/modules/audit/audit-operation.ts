// What server.ts calls for every operation, HTTP and WebSocket alike, just before its unit of work
// ends: a mutation becomes an audit entry (committed with it, or dropped with its rollback), without
// any resolver having to remember. Its input is kept as a digest only: it may hold a CCCD.
import {
  Kind,
  getArgumentValues,
  getVariableValues,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Context } from '../../context/context';
import { canonicalJson, sha256 } from './audit-chain';
import { nameOperation, recordAudit } from './audit.service';

export interface ExecutedOperation {
  schema: GraphQLSchema;
  document: DocumentNode | undefined;
  operation: OperationDefinitionNode | null | undefined;
  variables: Record<string, unknown> | null | undefined;
  data: Record<string, unknown> | null | undefined;
}

/** A global id (base64 of "Type:id") as "Type:id", the form the audit stores and filters by; anything else as it is. */
export function readableId(value: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return /^[A-Z][A-Za-z]*:[\w.-]+$/.test(decoded) && Buffer.from(decoded, 'utf8').toString('base64') === value ? decoded : value;
}

/** Root fields of the operation, through fragments. */
function rootFields(selectionSet: SelectionSetNode, document: DocumentNode | undefined): FieldNode[] {
  return selectionSet.selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, document);
    const fragment = document?.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
    return fragment && fragment.kind === Kind.FRAGMENT_DEFINITION ? rootFields(fragment.selectionSet, document) : [];
  });
}

const isIdKey = (key: string) => key === 'id' || key === 'ids' || /[a-z](Id|Ids)$/.test(key);
const MAX_TARGETS = 100;

/** Ids in the arguments (id, ids, agencyId, ...; never idNumber) and in the answer, a few levels deep. */
function collectIds(value: unknown, into: Set<string>, depth: number, key = ''): void {
  if (into.size >= MAX_TARGETS || depth < 0 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    if (isIdKey(key)) into.add(readableId(value));
  } else if (Array.isArray(value)) {
    for (const item of value) collectIds(item, into, isIdKey(key) ? depth : depth - 1, key);
  } else if (typeof value === 'object' && !(value instanceof Date)) {
    for (const [childKey, child] of Object.entries(value)) collectIds(child, into, depth - 1, childKey);
  }
}

export function auditOperation(ctx: Context, executed: ExecutedOperation): void {
  const { schema, document, operation, variables, data } = executed;
  if (!operation) return;
  nameOperation(ctx, operation.name?.value ?? null);
  const mutationType = schema.getMutationType();
  if (operation.operation !== 'mutation' || !mutationType) return;

  // The arguments as the resolvers saw them (variables coerced, literals parsed), so the same input
  // has the same digest whether it came inline or in variables.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  const variableValues = 'coerced' in coerced ? coerced.coerced : {};
  const fields = rootFields(operation.selectionSet, document).filter((node) => !node.name.value.startsWith('__'));
  const invoked = fields.map((node) => {
    const definition = mutationType.getFields()[node.name.value];
    let args: Record<string, unknown> = {};
    try {
      if (definition) args = getArgumentValues(definition, node, variableValues);
    } catch {
      // Not reached for an operation that executed (its arguments were valid); the entry is still written.
    }
    return { field: node.name.value, arguments: args };
  });
  const targets = new Set<string>();
  for (const call of invoked) collectIds(call.arguments, targets, 3);
  for (const node of fields) collectIds(data?.[node.alias?.value ?? node.name.value], targets, 3);

  recordAudit(ctx, {
    kind: 'MUTATION',
    operation: operation.name?.value ?? null,
    fields: [...new Set(invoked.map((call) => call.field))],
    targetIds: [...targets],
    inputDigest: sha256(canonicalJson(invoked)),
  });
}
