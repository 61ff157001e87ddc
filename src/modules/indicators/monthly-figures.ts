// Reading the monthly roll-ups: the sum of the figures over whole months, grouped. What a province's
// statistics and a ministry's indicators read instead of the dossiers; row-level security decides
// whose rows the transaction sees (a province its own, a ministry what it was granted).
import type { Sql } from '../../db/sql';
import { FIGURES, figureColumn, type Figures } from './figures';

export type FigureGroup = 'PROVINCE' | 'AGENCY' | 'PROCEDURE' | 'FIELD' | 'CHANNEL' | 'MONTH';

/**
 * Whose figures a merged province's are. RECORDED: the province that held the dossier, so a province
 * merged on 1 July 2025 has its own rows before and its successor holds them after. SUCCESSOR: every
 * row under today's province, the merged ones' history included.
 */
export type ProvinceView = 'RECORDED' | 'SUCCESSOR';

export interface FigureFilter {
  tenantIds?: readonly string[] | null;
  fieldCodes?: readonly string[] | null;
  procedureIds?: readonly string[] | null;
  channels?: readonly string[] | null;
}

export interface MonthRange {
  /** First month, as its first day (YYYY-MM-01). */
  from: string;
  /** The month after the last, as its first day. */
  to: string;
}

export interface FigureRow {
  key: string;
  figures: Figures;
}

const provinceKey = (view: ProvinceView) => (view === 'SUCCESSOR' ? 'COALESCE(t.merged_into_id, f.tenant_id)' : 'f.tenant_id');

const groupKey = (groupBy: FigureGroup, view: ProvinceView): string =>
  ({
    PROVINCE: `${provinceKey(view)}::text`,
    AGENCY: 'f.agency_id::text',
    PROCEDURE: 'f.procedure_id::text',
    FIELD: 'f.field_code',
    CHANNEL: 'f.channel::text',
    MONTH: `to_char(f.month, 'YYYY-MM')`,
  })[groupBy];

const SUMS = FIGURES.map((figure) => `sum(f.${figureColumn(figure)})::int AS "${figure}"`).join(', ');

/** The figures of the months, one row per group; a group with no row in the roll-ups is absent. */
export async function monthlyFigures(sql: Sql, months: MonthRange, groupBy: FigureGroup, filter: FigureFilter = {}, view: ProvinceView = 'RECORDED'): Promise<FigureRow[]> {
  // The province filter names tenant_id itself (not only through row-level security): one shard's rows.
  const rows = await sql.rows<Figures & { key: string }>(
    `SELECT ${groupKey(groupBy, view)} AS key, ${SUMS}
     FROM dossier_monthly_figure f${view === 'SUCCESSOR' ? ' JOIN tenant t ON t.id = f.tenant_id' : ''}
     WHERE f.month >= $1::date AND f.month < $2::date
       AND ($3::uuid[] IS NULL OR f.tenant_id = ANY ($3::uuid[]))
       AND ($4::text[] IS NULL OR f.field_code = ANY ($4::text[]))
       AND ($5::uuid[] IS NULL OR f.procedure_id = ANY ($5::uuid[]))
       AND ($6::text[] IS NULL OR f.channel::text = ANY ($6::text[]))
     GROUP BY 1 ORDER BY 1`,
    [months.from, months.to, filter.tenantIds ?? null, filter.fieldCodes ?? null, filter.procedureIds ?? null, filter.channels ?? null],
  );
  return rows.map(({ key, ...figures }) => ({ key, figures }));
}
