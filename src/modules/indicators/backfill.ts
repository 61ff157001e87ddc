// Rebuilding the roll-ups from the dossiers (`npm run rollups:backfill`): for dossiers written before
// the roll-up triggers existed, or written with triggers off (a bulk load in replica mode).
//
// One province at a time, in one transaction as the owner, holding the province's figure lock alone
// (lock_province_figures), so that no change of its dossiers lands between the read and the write:
// its writes wait for that transaction (a second or two per 100,000 dossiers). Idempotent: a province
// rebuilt twice has the same rows. Resumable: a rebuilt province is recorded and skipped by the next
// run unless asked again, so a run stopped half-way goes on with the provinces left.
import type { TransactionSource } from '../../db/unit-of-work';
import { inTransaction } from '../../db/unit-of-work';
import { FIGURES, figureColumn } from './figures';

const DOSSIER_FIGURES = FIGURES.filter((figure) => !figure.startsWith('portal'));
const columns = (figures: readonly string[]) => figures.map((figure) => figureColumn(figure as (typeof FIGURES)[number])).join(', ');

// The same contribution the triggers add, summed over the province's dossiers (dossier_figures in the
// migration national_indicators is the one definition of it), then the portal's status changes.
const REBUILD = [
  `SELECT lock_province_figures($1::uuid, true)`,
  `DELETE FROM dossier_daily_figure WHERE tenant_id = $1::uuid`,
  `DELETE FROM dossier_monthly_figure WHERE tenant_id = $1::uuid`,
  `INSERT INTO dossier_daily_figure (tenant_id, day, agency_id, procedure_id, field_code, channel, ${columns(DOSSIER_FIGURES)})
   SELECT d.tenant_id, x.day, d.agency_id, d.procedure_id, min(d.field_code), d.channel,
          ${DOSSIER_FIGURES.map((figure) => `sum(x.${figureColumn(figure)})`).join(', ')}
   FROM dossier d CROSS JOIN LATERAL dossier_figures(d, 1) x
   WHERE d.tenant_id = $1::uuid
   GROUP BY d.tenant_id, x.day, d.agency_id, d.procedure_id, d.channel`,
  `INSERT INTO dossier_daily_figure AS f (tenant_id, day, agency_id, procedure_id, field_code, channel, portal_changes, portal_acknowledged)
   SELECT r.tenant_id, (r.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, d.agency_id, d.procedure_id, min(d.field_code), d.channel,
          count(*), count(*) FILTER (WHERE r.state = 'ACKNOWLEDGED')
   FROM portal_sync_record r JOIN dossier d ON d.tenant_id = r.tenant_id AND d.id = r.dossier_id
   WHERE r.tenant_id = $1::uuid
   GROUP BY r.tenant_id, 2, d.agency_id, d.procedure_id, d.channel
   ON CONFLICT (tenant_id, day, agency_id, procedure_id, channel) DO UPDATE SET
     portal_changes = EXCLUDED.portal_changes, portal_acknowledged = EXCLUDED.portal_acknowledged`,
  `INSERT INTO dossier_monthly_figure (tenant_id, month, agency_id, procedure_id, field_code, channel, ${columns(FIGURES)})
   SELECT tenant_id, date_trunc('month', day)::date, agency_id, procedure_id, min(field_code), channel,
          ${FIGURES.map((figure) => `sum(${figureColumn(figure)})`).join(', ')}
   FROM dossier_daily_figure WHERE tenant_id = $1::uuid
   GROUP BY tenant_id, 2, agency_id, procedure_id, channel`,
  `INSERT INTO dossier_figure_backfill (tenant_id, rebuilt_at) VALUES ($1::uuid, now())
   ON CONFLICT (tenant_id) DO UPDATE SET rebuilt_at = EXCLUDED.rebuilt_at`,
];

export interface BackfillReport {
  rebuilt: string[];
  skipped: string[];
}

/** Rebuilds the roll-ups of the provinces (ids) not rebuilt yet, or of all of them with `again`. */
export async function backfillRollUps(
  database: TransactionSource,
  tenantIds: readonly string[],
  options: { again?: boolean; timeoutMs?: number; onProvince?: (tenantId: string, ms: number) => void } = {},
): Promise<BackfillReport> {
  const report: BackfillReport = { rebuilt: [], skipped: [] };
  for (const tenantId of tenantIds) {
    const started = Date.now();
    const rebuilt = await inTransaction(database, { tenantId, role: 'owner', timeoutMs: options.timeoutMs ?? 30 * 60_000 }, async (_db, sql) => {
      if (!options.again) {
        const [done] = await sql.rows<{ tenant_id: string }>(`SELECT tenant_id FROM dossier_figure_backfill WHERE tenant_id = $1::uuid`, [tenantId]);
        if (done) return false;
      }
      for (const statement of REBUILD) await sql.rows(statement, [tenantId]);
      return true;
    });
    (rebuilt ? report.rebuilt : report.skipped).push(tenantId);
    if (rebuilt) options.onProvince?.(tenantId, Date.now() - started);
  }
  return report;
}
