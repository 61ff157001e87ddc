// Reads a page of one model by hand-written SQL in the shape Pothos plans for Prisma: the `select`
// of a prismaConnection or prismaField (scalar fields and to-one relations, nested) becomes one
// SELECT with LEFT JOINs, and each row comes back as Prisma would return it. Pothos then resolves the
// fields from these rows as from Prisma's, with no further query. A selection this does not cover (a
// list relation, a count) compiles to null: the caller reads through Prisma instead.
//
// Tables and columns follow the schema's naming rule (model `DossierLogEntry` -> `dossier_log_entry`,
// field `dueAt` -> `due_at`); test/select-sql.test.ts checks the rule against the database and the
// rows against Prisma's.
import { LRUCache } from 'lru-cache';
import { getDatamodel } from '../generated/pothos-types';

type Model = ReturnType<typeof getDatamodel>['datamodel']['models'][string];

const MODELS = getDatamodel().datamodel.models;

/** Each model's fields by name, built once: a page compiles its select on every request. */
const FIELDS = new Map(Object.entries(MODELS).map(([name, model]) => [name, new Map(model.fields.map((field) => [field.name, field]))]));

/** Pure: the schema's naming rule, `dueAtBeforeExtension` -> `due_at_before_extension`. */
export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter, at: number) => `${at ? '_' : ''}${letter.toLowerCase()}`);

/** snakeCase of the schema's own names (models and fields: a bounded set), each worked out once. */
const snakeCased = new Map<string, string>();
const snakeCaseOf = (name: string) => {
  let snake = snakeCased.get(name);
  if (snake === undefined) snakeCased.set(name, (snake = snakeCase(name)));
  return snake;
};

/** A column reference, quoted: `t0."due_at"`. */
export const columnOf = (alias: string, field: string) => `${alias}."${snakeCaseOf(field)}"`;

export interface CompiledSelect {
  /** `t0."id" AS "c0", t1."code" AS "c1", ...` */
  columns: string;
  /** `LEFT JOIN "procedure" t1 ON ...`, one per to-one relation selected. */
  joins: string;
  /** The row as Prisma would return it, from the result row (columns named c0, c1, ...). */
  read(row: Record<string, unknown>): Record<string, unknown>;
}

type Reader = (row: Record<string, unknown>) => unknown;

/** The key a to-one relation points at: the target's primary key, in the order of the foreign key. */
function targetKey(target: Model, fromCount: number): readonly string[] | null {
  const key = target.primaryKey?.fields ?? target.fields.filter((field) => field.isId).map((field) => field.name);
  return key.length === fromCount ? key : null;
}

/**
 * The last selections compiled, by model and selection: a page's selection comes from the query's
 * shape, so the same few come back on every request (a client's new shape costs one compilation).
 */
const compiledSelects = new LRUCache<string, { compiled: CompiledSelect | null }>({ max: 500 });

/**
 * Compiles `select` on `model` (aliased `t0` in the caller's FROM). Null when the selection holds
 * anything but scalar fields and to-one relations with a `select` of their own.
 */
export function compileSelect(model: string, select: Record<string, unknown>): CompiledSelect | null {
  let key: string;
  try {
    key = `${model}\0${JSON.stringify(select)}`;
  } catch {
    return compileSelectOnce(model, select); // a value JSON cannot write (a BigInt in a relation's filter): not kept
  }
  let known = compiledSelects.get(key);
  if (!known) compiledSelects.set(key, (known = { compiled: compileSelectOnce(model, select) }));
  return known.compiled;
}

function compileSelectOnce(model: string, select: Record<string, unknown>): CompiledSelect | null {
  const columns: string[] = [];
  const joins: string[] = [];
  const columnAlias = () => `c${columns.length}`;

  function compile(modelName: string, alias: string, selection: Record<string, unknown>): ((row: Record<string, unknown>) => Record<string, unknown>) | null {
    const fields = FIELDS.get(modelName)!;
    const readers: [string, Reader][] = [];
    for (const [name, wanted] of Object.entries(selection)) {
      if (!wanted) continue;
      const field = fields.get(name);
      if (!field) return null;
      if (field.kind === 'scalar' || field.kind === 'enum') {
        if (wanted !== true) return null;
        const as = columnAlias();
        // A list of enum values comes back from pg as its text form unless cast.
        columns.push(`${columnOf(alias, name)}${field.kind === 'enum' && field.isList ? '::text[]' : ''} AS "${as}"`);
        readers.push([name, (row) => row[as]]);
        continue;
      }
      // A relation: to-one only, with a select of its own.
      const nested = (wanted as { select?: Record<string, unknown> }).select;
      const from = field.relationFromFields ?? [];
      if (field.isList || !nested || !from.length || Object.keys(wanted as object).length !== 1) return null;
      const target = MODELS[field.type];
      const key = target && targetKey(target, from.length);
      if (!key) return null;
      const joined = `t${joins.length + 1}`;
      joins.push(`LEFT JOIN "${snakeCaseOf(field.type)}" ${joined} ON ${key.map((to, i) => `${columnOf(joined, to)} = ${columnOf(alias, from[i])}`).join(' AND ')}`);
      // Whether the relation is there: its key's first column, read beside the selection.
      const present = columnAlias();
      columns.push(`${columnOf(joined, key[0])} AS "${present}"`);
      const readNested = compile(field.type, joined, nested);
      if (!readNested) return null;
      readers.push([name, (row) => (row[present] === null ? null : readNested(row))]);
    }
    return (row) => {
      const out: Record<string, unknown> = {};
      for (const [name, read] of readers) out[name] = read(row);
      return out;
    };
  }

  if (!MODELS[model]) return null;
  const read = compile(model, 't0', select);
  return read && { columns: columns.join(', '), joins: joins.join(' '), read };
}
