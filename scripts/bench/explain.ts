// What the API really sends, and how PostgreSQL runs it: records the statements of one request (by
// wrapping pg's Client.prototype.query for its duration), then runs EXPLAIN (ANALYZE, BUFFERS) on
// each SELECT with its parameters, as egov_app with the province set, and sums each plan up.
import pg from 'pg';

export interface Statement {
  text: string;
  values: unknown[];
}

export async function recordStatements(run: () => Promise<unknown>): Promise<Statement[]> {
  const statements: Statement[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[] };
    if (typeof first === 'string') statements.push({ text: first, values: Array.isArray(args[1]) ? args[1] : [] });
    else if (first && typeof first.text === 'string') statements.push({ text: first.text, values: first.values ?? [] });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await run();
  } finally {
    pg.Client.prototype.query = original;
  }
  return statements;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

export interface PlanSummary {
  /** The table read first (FROM) and the statement's WHERE clause, shortened. */
  label: string;
  top: string;
  /** Every scan in the plan: "Index Scan dossier_tenant_id_code_key", "Seq Scan procedure", ... */
  scans: string[];
  executionMs: number;
  buffers: { hit: number; read: number };
}

const SCAN = /Scan$/;

// A sequential scan is right for a table of a few dozen rows: say how many, so a reader can tell.
function scansOf(node: PlanNode, rowsOf: Map<string, number>, into: string[] = []): string[] {
  if (SCAN.test(node['Node Type']) && (node['Index Name'] || node['Relation Name'])) {
    const relation = node['Relation Name'] ?? '';
    const size = node['Node Type'] === 'Seq Scan' ? ` (${rowsOf.get(relation) ?? '?'} rows)` : '';
    into.push(`${node['Node Type']} ${node['Index Name'] ?? relation}${size}`);
  }
  for (const child of node.Plans ?? []) scansOf(child, rowsOf, into);
  return into;
}

function labelOf(sql: string): string {
  const plain = sql.replace(/"public"\./g, '').replace(/"/g, '').replace(/\s+/g, ' ');
  const table = /\bFROM (\w+)/i.exec(plain)?.[1] ?? '?';
  const where = /\bWHERE (.*?)(?: ORDER BY| LIMIT| OFFSET| GROUP BY|\)? AS |$)/i.exec(plain)?.[1] ?? '';
  const short = where.length > 70 ? `${where.slice(0, 67)}...` : where;
  return where ? `${table}: ${short}` : table;
}

/**
 * The SELECTs among `statements` (not the role and province setting, nor a WITH that writes: a
 * mutation's statements would run again), explained as `tenantId`, in a transaction rolled back.
 */
export async function explainStatements(appUrl: string, scope: { tenantId: string } | { ministry: string }, statements: Statement[]): Promise<PlanSummary[]> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  const summaries: PlanSummary[] = [];
  try {
    const { rows: tables } = await client.query(`SELECT relname, reltuples::bigint AS rows FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`);
    const rowsOf = new Map(tables.map((table) => [table.relname as string, Math.max(Number(table.rows), 0)]));
    await client.query('BEGIN');
    // As the API ran them: a province's transaction, or a ministry's (its own role, no province).
    if ('ministry' in scope) await client.query(`SELECT set_config('role', 'egov_ministry', true), set_config('app.ministry', $1, true)`, [scope.ministry]);
    else await client.query(`SELECT set_config('role', 'egov_app', true), set_config('app.tenant_id', $1, true)`, [scope.tenantId]);
    for (const statement of statements) {
      const sql = statement.text.trim();
      if (!/^(SELECT|WITH)\b/i.test(sql) || /set_config/i.test(sql) || /\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b/i.test(sql)) continue;
      const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, statement.values);
      const [explained] = rows[0]['QUERY PLAN'] as { Plan: PlanNode; 'Execution Time': number }[];
      summaries.push({
        label: labelOf(sql),
        top: explained.Plan['Node Type'],
        scans: [...new Set(scansOf(explained.Plan, rowsOf))],
        executionMs: explained['Execution Time'],
        buffers: { hit: explained.Plan['Shared Hit Blocks'] ?? 0, read: explained.Plan['Shared Read Blocks'] ?? 0 },
      });
    }
    await client.query('ROLLBACK');
  } finally {
    await client.end();
  }
  return summaries;
}
