// dossierStatistics: the province's figures under the national on-time rule. Aggregates only.
import { builder } from '../../schema/builder';
import { IndicatorValueRef, PeriodInputRef } from '../indicators/indicators.schema';
import { dossierStatistics, type DossierStatistics, type StatisticsRow } from './statistics.service';

const StatisticsGroupEnum = builder.enumType('StatisticsGroup', { values: ['AGENCY', 'PROCEDURE', 'FIELD', 'CHANNEL'] as const });


const StatisticsRowRef = builder.objectRef<StatisticsRow>('DossierStatisticsRow').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Agency or procedure id, field code or channel.' }),
    label: t.exposeString('label'),
    received: t.exposeInt('received'),
    receivedOnline: t.exposeInt('receivedOnline'),
    finishedEarly: t.exposeInt('finishedEarly'),
    finishedOnTime: t.exposeInt('finishedOnTime'),
    finishedLate: t.exposeInt('finishedLate'),
    openWithinTime: t.exposeInt('openWithinTime', { description: 'Open at the end of the period and not overdue.' }),
    openOverdue: t.exposeInt('openOverdue'),
    onlineShare: t.exposeFloat('onlineShare', { nullable: true }),
    onTimeRate: t.exposeFloat('onTimeRate', { nullable: true, description: '(early + on time) / finished.' }),
    indicators: t.field({
      type: [IndicatorValueRef],
      description: "Every indicator of Quyết định 766/QĐ-TTg over the row (payments, VNeID, digitised papers, electronic returns, the national portal's sync, satisfaction...); the province's own figures, nothing withheld.",
      resolve: (row) => row.indicators,
    }),
  }),
});

const DossierStatisticsRef = builder.objectRef<DossierStatistics>('DossierStatistics').implement({
  fields: (t) => ({
    periodLabel: t.string({ resolve: (stats) => stats.period.label }),
    periodStart: t.field({ type: 'DateTime', resolve: (stats) => stats.period.start }),
    periodEnd: t.field({ type: 'DateTime', resolve: (stats) => stats.period.end }),
    judgedAt: t.expose('judgedAt', { type: 'DateTime', description: 'When open dossiers were judged: the end of the period, or, while it runs, now.' }),
    groupBy: t.expose('groupBy', { type: StatisticsGroupEnum }),
    rows: t.field({ type: [StatisticsRowRef], resolve: (stats) => stats.rows }),
    total: t.field({ type: StatisticsRowRef, resolve: (stats) => stats.total }),
  }),
});

builder.queryFields((t) => ({
  dossierStatistics: t.withAuth({ official: true, provinceAdmin: true }).field({
    type: DossierStatisticsRef,
    skipTypeScopes: true,
    description: "The province's dossier figures for a period, following the national on-time rule.",
    args: {
      period: t.arg({ type: PeriodInputRef, required: true }),
      groupBy: t.arg({ type: StatisticsGroupEnum, required: false, defaultValue: 'AGENCY' }),
    },
    resolve: (_root, args, ctx) => dossierStatistics(ctx, args.period, args.groupBy ?? 'AGENCY', ctx.now),
  }),
}));
