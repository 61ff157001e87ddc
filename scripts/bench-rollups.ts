// npm run bench:rollups — what the roll-up triggers cost each dossier write, against the same writes
// with those two triggers disabled, in interleaved rounds on a scratch database of the local
// PostgreSQL (BENCH_SERVER_URL), dropped at the end. Each round writes BENCH_ROLLUP_DOSSIERS dossiers
// in one transaction as the owner with the province set (one INSERT ... SELECT), then ends them all
// (one UPDATE that sets ended_at and the outcome, as FINISH does), and rolls back. Printed: PostgreSQL
// time per dossier for each, medians of the rounds, and the difference: the triggers' own cost.
import pg from 'pg';
import { createScratchDatabase } from '../src/db/scratch-database';
import { openPostgres } from '../src/db/database';
import { seedDemoProvinces } from '../prisma/seed';

const N = Number(process.env.BENCH_ROLLUP_DOSSIERS ?? 5000);
const ROUNDS = 6;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const scratch = await createScratchDatabase('egov_bench_rollups', process.env.BENCH_SERVER_URL);
  try {
    const demo = openPostgres(scratch.ownerUrl, { poolSize: 2 });
    await seedDemoProvinces(demo).finally(() => demo.close());
    const client = new pg.Client({ connectionString: scratch.ownerUrl });
    await client.connect();
    const { rows: [performed] } = await client.query(
      `SELECT pp.tenant_id, pp.agency_id, pp.procedure_id, p.field_code FROM province_procedure pp JOIN procedure p ON p.id = pp.procedure_id ORDER BY p.code LIMIT 1`,
    );
    // Spread over 300 days and the three channels, so that they land on many roll-up rows.
    const insert = `INSERT INTO dossier (tenant_id, id, code, secret_hash, procedure_id, field_code, agency_id, channel, status, open, applicant_name,
        applicant_type, summary, documents_provided, submitted_at, received_at, due_at, updated_at)
      SELECT $1, gen_random_uuid(), 'BENCH-' || $5 || '-' || g, 'h', $2, $4, $3, (ARRAY['ONLINE','IN_PERSON','POSTAL']::"DossierChannel"[])[1 + g % 3],
             'RECEIVED', true, 'Nguyễn Thị Thu Hà', 'CITIZEN', 'Đề nghị cấp Phiếu lý lịch tư pháp', '{}',
             now() - (g % 300) * interval '1 day', now() - (g % 300) * interval '1 day', now() + interval '5 days', now()
      FROM generate_series(1, ${N}) g`;
    const end = `UPDATE dossier SET status = 'RESULT_READY', result_ready_at = received_at + interval '3 days', ended_at = received_at + interval '3 days', outcome = 'EARLY'
      WHERE tenant_id = $1 AND code LIKE 'BENCH-' || $2 || '-%'`;
    const times = { insert: { on: [] as number[], off: [] as number[] }, end: { on: [] as number[], off: [] as number[] } };
    for (let round = 0; round < ROUNDS; round++) {
      const mode = round % 2 === 0 ? 'on' : 'off';
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [performed.tenant_id]);
      if (mode === 'off') await client.query(`ALTER TABLE dossier DISABLE TRIGGER dossier_daily_figure_insert_delete, DISABLE TRIGGER dossier_daily_figure_update`);
      let started = performance.now();
      await client.query(insert, [performed.tenant_id, performed.procedure_id, performed.agency_id, performed.field_code, String(round)]);
      times.insert[mode].push(((performance.now() - started) * 1000) / N);
      started = performance.now();
      await client.query(end, [performed.tenant_id, String(round)]);
      times.end[mode].push(((performance.now() - started) * 1000) / N);
      await client.query('ROLLBACK');
    }
    await client.end();
    console.log(`${N} dossiers a round, ${ROUNDS} rounds alternating; PostgreSQL time per dossier, median of the rounds:`);
    for (const [write, { on, off }] of Object.entries(times)) {
      console.log(`${write.padEnd(8)} with the roll-up triggers ${median(on).toFixed(0)} µs, without ${median(off).toFixed(0)} µs: the triggers cost ${(median(on) - median(off)).toFixed(0)} µs (${(median(on) / median(off)).toFixed(1)}×)`);
    }
  } finally {
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
