// What a row of figures is called, by what it is grouped by: one labelling for a province's
// statistics and a ministry's indicators. Names are read under the caller's row-level security: a
// province reads its own agencies; a ministry's role reads none, and nationalIndicators has no AGENCY.
import type { Context } from '../../context/context';
import type { FigureGroup } from './monthly-figures';

const CHANNEL_LABEL: Record<string, string> = { IN_PERSON: 'Trực tiếp', ONLINE: 'Trực tuyến', POSTAL: 'Bưu chính công ích' };

export async function figureLabels(ctx: Context, groupBy: FigureGroup, keys: readonly string[]): Promise<Map<string, string>> {
  const ids = [...keys];
  switch (groupBy) {
    case 'CHANNEL':
      return new Map(ids.map((key) => [key, CHANNEL_LABEL[key] ?? key]));
    case 'MONTH':
      return new Map(ids.map((key) => [key, `${key.slice(5, 7)}/${key.slice(0, 4)}`]));
    case 'PROVINCE': {
      const tenants = await ctx.db.tenant.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
      return new Map(tenants.map((tenant) => [tenant.id, tenant.name]));
    }
    case 'AGENCY': {
      const agencies = await ctx.db.agency.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
      return new Map(agencies.map((agency) => [agency.id, agency.name]));
    }
    case 'PROCEDURE': {
      const procedures = await ctx.db.procedure.findMany({ where: { id: { in: ids } }, select: { id: true, code: true, name: true } });
      return new Map(procedures.map((procedure) => [procedure.id, `${procedure.code} ${procedure.name}`]));
    }
    case 'FIELD': {
      const fields = await ctx.db.procedure.findMany({ where: { fieldCode: { in: ids } }, select: { fieldCode: true, fieldName: true }, distinct: ['fieldCode'] });
      return new Map(fields.map((field) => [field.fieldCode, field.fieldName]));
    }
  }
}
