// Onboarding: makes the database agree with a province manifest. Idempotent (a second run changes
// nothing, not even updatedAt), all-or-nothing (one transaction), and able to rehearse (dry run:
// the same work, then a rollback).
import type { PrismaClient } from '../../generated/prisma/client';
import type { TransactionSource } from '../../db/unit-of-work';
import type { BackOfficeRole, Gender } from '../../generated/prisma/enums';
import { enterTenant, type Db } from '../../db/tenant-scope';
import { inTransaction } from '../../db/unit-of-work';
import { dateOnly, isoDateOf } from '../../kernel/dates';
import { stableUuid } from '../../kernel/ids';
import { foldForSearch } from '../../kernel/text';
import { CIVIL_SERVICE_RANKS, type AgencyManifest, type ProvinceManifest } from './manifest';
import {
  changedFields,
  fieldChangesOf,
  formatFieldChange,
  hasChanges,
  planAgencies,
  planTenant,
  planSuccessions,
  planUnits,
  tallyOf,
  tenantRefusalMessage,
  todayIn,
  type ExistingTenant,
  type FieldChange,
  type Tally,
  type TenantFields,
} from './onboarding-plan';
import {
  REORGANISATION_DATE,
  formerUnitsValidFrom,
  unitKeyString,
  unitsForProvince,
  type ProvinceUnits,
  type UnitKey,
} from './unit-catalogue';

export const ONBOARDING_KINDS = ['units', 'successions', 'tenant', 'agencies', 'admin'] as const;
export type OnboardingKind = (typeof ONBOARDING_KINDS)[number];

export interface OnboardingReport {
  slug: string;
  name: string;
  dryRun: boolean;
  counts: Record<OnboardingKind, Tally>;
  /** Successions left out because one end is not in the database. */
  skippedSuccessions: number;
  /** Each changed field of the province, its agencies and its admin, old → new. */
  fieldChanges: string[];
  lines(): string[];
}

export interface OnboardingOptions {
  dryRun?: boolean;
  /** Required for a merged province: the manifest of the province it was merged into. */
  mergerTarget?: ProvinceManifest;
  /** 'YYYY-MM-DD' for the admin's first work-history entry; defaults to today in the province. */
  today?: string;
  /** Lets the run change an existing province's slug, name, GSO code, its validity or its merger. */
  allowIdentityChange?: boolean;
  /** The manifest's file, named in refusals. */
  source?: string;
}

/** A failure the platform admin can act on (the message says what to do). */
export class OnboardingError extends Error {
  override name = 'OnboardingError';
}

const emptyTally = (): Tally => ({ created: 0, changed: 0, unchanged: 0 });

function reportLines(report: Omit<OnboardingReport, 'lines'>): string[] {
  const header = `${report.name} (${report.slug})${report.dryRun ? ' — chạy thử, không ghi gì' : ''}`;
  const rows = ONBOARDING_KINDS.map((kind) => {
    const { created, changed, unchanged } = report.counts[kind];
    return `  ${kind.padEnd(12)} ${created} created, ${changed} changed, ${unchanged} unchanged`;
  });
  const skipped = report.skippedSuccessions > 0 ? [`  (${report.skippedSuccessions} successions skipped: a unit is not in the database)`] : [];
  return [header, ...rows, ...skipped, ...report.fieldChanges.map((line) => `  ${line}`)];
}

function newReport(manifest: ProvinceManifest, dryRun: boolean): OnboardingReport {
  const report: OnboardingReport = {
    slug: manifest.slug,
    name: manifest.name,
    dryRun,
    counts: Object.fromEntries(ONBOARDING_KINDS.map((kind) => [kind, emptyTally()])) as Record<OnboardingKind, Tally>,
    skippedSuccessions: 0,
    fieldChanges: [],
    lines: () => reportLines(report),
  };
  return report;
}

/** Nothing created or changed: what a second run must report. */
export function isNoOp(report: OnboardingReport): boolean {
  return ONBOARDING_KINDS.every((kind) => report.counts[kind].created === 0 && report.counts[kind].changed === 0);
}

// ---------------------------------------------------------------- steps

async function upsertUnits(tx: Db, units: ProvinceUnits, report: OnboardingReport): Promise<Map<string, string>> {
  const desired = [units.province, ...units.communes, ...units.historicalCommunes];
  // The successors of a merged province's units belong to its target: read them too, never write them.
  const keys: UnitKey[] = [...desired, ...units.successions.map((succession) => succession.successor)];
  const codesAt = (level: UnitKey['level']) => [...new Set(keys.filter((key) => key.level === level).map((key) => key.code))];
  const existing = await tx.administrativeUnit.findMany({
    where: {
      OR: [
        { level: 'PROVINCE', code: { in: codesAt('PROVINCE') } },
        { level: 'COMMUNE', code: { in: codesAt('COMMUNE') } },
      ],
    },
  });
  const plan = planUnits(desired, existing);
  if (plan.create.length > 0) await tx.administrativeUnit.createMany({ data: plan.create });
  for (const { id, changes } of plan.update) await tx.administrativeUnit.update({ where: { id }, data: changes });
  report.counts.units = tallyOf(plan);
  const existingById = new Map(existing.map((unit) => [unit.id, unit]));
  for (const { id, changes } of plan.update) {
    const current = existingById.get(id)!;
    const subject = `unit ${current.level} ${current.code} (${isoDateOf(current.validFrom)})`;
    report.fieldChanges.push(...fieldChangesOf(current, changes).map((change) => formatFieldChange(subject, change)));
  }
  return plan.idByKey;
}

async function upsertSuccessions(tx: Db, units: ProvinceUnits, idByKey: Map<string, string>, report: OnboardingReport) {
  const predecessorIds = units.successions
    .map((succession) => idByKey.get(unitKeyString(succession.predecessor)))
    .filter((id): id is string => id !== undefined);
  const existing = await tx.unitSuccession.findMany({ where: { predecessorId: { in: predecessorIds } } });
  const plan = planSuccessions(units.successions, idByKey, existing);
  if (plan.create.length > 0) {
    const { count } = await tx.unitSuccession.createMany({ data: plan.create, skipDuplicates: true });
    plan.unchanged += plan.create.length - count;
    plan.create = plan.create.slice(0, count);
  }
  for (const row of plan.update) {
    await tx.unitSuccession.update({
      where: { predecessorId_successorId: { predecessorId: row.predecessorId, successorId: row.successorId } },
      data: { resolution: row.resolution, effectiveOn: row.effectiveOn },
    });
  }
  report.counts.successions = tallyOf(plan);
  report.skippedSuccessions = plan.skipped;
}

async function mergerTargetId(tx: Db, manifest: ProvinceManifest, options: OnboardingOptions): Promise<string | null> {
  if (manifest.status !== 'merged') return null;
  const target = await tx.tenant.findUnique({ where: { slug: manifest.mergedInto! }, select: { id: true } });
  if (!target) {
    throw new OnboardingError(
      `${manifest.slug} được sáp nhập vào "${manifest.mergedInto}", nhưng "${manifest.mergedInto}" chưa được onboard: hãy onboard tỉnh đó trước`,
    );
  }
  if (options.mergerTarget && target.id !== options.mergerTarget.id) {
    throw new OnboardingError(`"${manifest.mergedInto}" trong cơ sở dữ liệu có id ${target.id}, khác với manifest (${options.mergerTarget.id})`);
  }
  return target.id;
}

function tenantFields(manifest: ProvinceManifest, provinceUnitId: string, mergedIntoId: string | null): TenantFields {
  return {
    slug: manifest.slug,
    name: manifest.name,
    gsoCode: manifest.gsoCode,
    codeValidFrom: dateOnly(manifest.codeValidFrom),
    codeValidTo: manifest.codeValidTo === null ? null : dateOnly(manifest.codeValidTo),
    hostNames: manifest.hostNames,
    timeZone: manifest.timeZone,
    officeHours: manifest.officeHours.map(({ start, end }) => ({ start, end })),
    status: manifest.status === 'merged' ? 'MERGED' : 'ACTIVE',
    mergedIntoId,
    mergedOn: manifest.mergedOn ? dateOnly(manifest.mergedOn) : null,
    unitId: provinceUnitId,
  };
}

/** Compares with the row of the same id and with the tenants that have the slug or the code; throws a refusal. */
async function planTenantChange(tx: Db, manifest: ProvinceManifest, fields: TenantFields, current: ExistingTenant | null, options: OnboardingOptions) {
  const others: ExistingTenant[] = await tx.tenant.findMany({
    where: { id: { not: manifest.id }, OR: [{ slug: manifest.slug }, { gsoCode: manifest.gsoCode }] },
  });
  const plan = planTenant(manifest.id, fields, current, others, options);
  if (plan.refusals.length > 0) {
    throw new OnboardingError(tenantRefusalMessage(options.source ?? `manifest ${manifest.slug}`, manifest.id, fields, plan.refusals));
  }
  return plan;
}

/**
 * The tenant part of the plan alone, read-only: lets a run of several manifests refuse before it
 * writes anything. A merger target onboarded in the same run is taken at the manifest's id.
 */
export async function checkProvinceIdentity(prisma: PrismaClient, manifest: ProvinceManifest, options: OnboardingOptions = {}): Promise<void> {
  const current: ExistingTenant | null = await prisma.tenant.findUnique({ where: { id: manifest.id } });
  const target = manifest.mergedInto ? await prisma.tenant.findUnique({ where: { slug: manifest.mergedInto }, select: { id: true } }) : null;
  const mergedIntoId = manifest.status === 'merged' ? (target?.id ?? options.mergerTarget?.id ?? null) : null;
  // The unit is no part of the identity (it follows the code); keep the current one for the comparison.
  await planTenantChange(prisma, manifest, tenantFields(manifest, current?.unitId ?? '', mergedIntoId), current, options);
}

async function upsertTenant(tx: Db, manifest: ProvinceManifest, provinceUnitId: string, options: OnboardingOptions, report: OnboardingReport) {
  const fields = tenantFields(manifest, provinceUnitId, await mergerTargetId(tx, manifest, options));
  const current: ExistingTenant | null = await tx.tenant.findUnique({ where: { id: manifest.id } });
  const plan = await planTenantChange(tx, manifest, fields, current, options);
  if (plan.create) {
    await tx.tenant.create({ data: { id: manifest.id, ...fields } });
    report.counts.tenant = { created: 1, changed: 0, unchanged: 0 };
    return;
  }
  const changed = hasChanges(plan.changes);
  if (changed) await tx.tenant.update({ where: { id: manifest.id }, data: plan.changes });
  report.counts.tenant = { created: 0, changed: changed ? 1 : 0, unchanged: changed ? 0 : 1 };
  report.fieldChanges.push(...plan.fieldChanges.map((change) => formatFieldChange(`tenant ${current!.slug}`, change)));
}

function agencyUnitResolver(manifest: ProvinceManifest, idByKey: Map<string, string>) {
  const provinceUnitId = idByKey.get(unitKeyString({ level: 'PROVINCE', code: manifest.gsoCode, validFrom: manifest.codeValidFrom }))!;
  // A commune committee sits in a current commune; in a merged province, in one of its old communes.
  const communeValidFrom = manifest.status === 'active' ? REORGANISATION_DATE : formerUnitsValidFrom(manifest);
  return (agency: AgencyManifest): string => {
    if (!agency.unitCode) return provinceUnitId;
    const id = idByKey.get(unitKeyString({ level: 'COMMUNE', code: agency.unitCode, validFrom: communeValidFrom }));
    if (!id) throw new OnboardingError(`${agency.code}: không tìm thấy phường/xã mã ${agency.unitCode}`);
    return id;
  };
}

async function upsertAgencies(tx: Db, manifest: ProvinceManifest, idByKey: Map<string, string>, report: OnboardingReport) {
  const existing = await tx.agency.findMany({ where: { tenantId: manifest.id } });
  const plan = planAgencies(manifest.id, manifest.agencies, existing, agencyUnitResolver(manifest, idByKey));
  if (plan.create.length > 0) await tx.agency.createMany({ data: plan.create });
  for (const { id, changes } of plan.update) {
    await tx.agency.update({ where: { tenantId_id: { tenantId: manifest.id, id } }, data: changes });
  }
  report.counts.agencies = tallyOf(plan);
  for (const update of plan.update) {
    report.fieldChanges.push(...update.fieldChanges.map((change) => formatFieldChange(`agency ${update.code}`, change)));
  }
  return plan.idByCode;
}

// ---------------------------------------------------------------- officials (the admin here, demo officials in the seed)

export interface OfficialSpec {
  tenantId: string;
  email: string;
  fullName: string;
  agencyId: string;
  /** Copied into the work-history entry, as it reads on the day. */
  agencyName: string;
  provinceName: string;
  position: string;
  rankCode?: string;
  rankName?: string;
  payStep?: number;
  payCoefficient?: number;
  birthDate?: string;
  gender?: Gender;
  idNumber?: string;
  phone?: string;
  role?: BackOfficeRole;
  /** Start of the open work-history entry, when one has to be opened. */
  startedOn: string;
}

export type UpsertOutcome = 'created' | 'changed' | 'unchanged';

/**
 * Creates or updates an official by (tenant, e-mail), with its role at its agency and one open
 * work-history entry. A move to another agency or position closes the open entry and opens a new
 * one, so the career reads right afterwards. Expects the transaction to be scoped to the tenant.
 */
export async function upsertOfficial(tx: Db, spec: OfficialSpec): Promise<UpsertOutcome> {
  return (await upsertOfficialReporting(tx, spec)).outcome;
}

/** upsertOfficial, also saying which of the official's own fields changed (old → new). */
async function upsertOfficialReporting(tx: Db, spec: OfficialSpec): Promise<{ outcome: UpsertOutcome; fieldChanges: FieldChange[] }> {
  const { tenantId } = spec;
  const fields = {
    fullName: spec.fullName,
    searchName: foldForSearch(spec.fullName),
    agencyId: spec.agencyId,
    position: spec.position,
    rankCode: spec.rankCode,
    rankName: spec.rankName,
    payStep: spec.payStep,
    payCoefficient: spec.payCoefficient,
    birthDate: spec.birthDate === undefined ? undefined : dateOnly(spec.birthDate),
    gender: spec.gender,
    idNumber: spec.idNumber,
    phone: spec.phone,
  };
  const current = await tx.official.findUnique({ where: { tenantId_email: { tenantId, email: spec.email } } });
  let officialId: string;
  let outcome: UpsertOutcome;
  let fieldChanges: FieldChange[] = [];
  if (!current) {
    officialId = stableUuid('official', tenantId, spec.email);
    const personId = spec.idNumber ? stableUuid('person', spec.idNumber) : stableUuid('person', tenantId, spec.email);
    await tx.official.create({ data: { tenantId, id: officialId, personId, email: spec.email, ...fields } });
    outcome = 'created';
  } else {
    officialId = current.id;
    const changes = changedFields(current as unknown as Record<string, unknown>, fields);
    if (hasChanges(changes)) await tx.official.update({ where: { tenantId_id: { tenantId, id: officialId } }, data: changes });
    outcome = hasChanges(changes) ? 'changed' : 'unchanged';
    const { searchName: _derived, ...shown } = changes;
    fieldChanges = fieldChangesOf(current as unknown as Record<string, unknown>, shown);
  }
  const rolesChanged = spec.role ? await ensureRole(tx, tenantId, officialId, spec.role, spec.agencyId) : false;
  const historyChanged = await ensureOpenPosting(tx, officialId, spec);
  return { outcome: outcome === 'unchanged' && (rolesChanged || historyChanged) ? 'changed' : outcome, fieldChanges };
}

/** The role at the official's agency, and no longer at agencies they left. Returns whether it wrote. */
async function ensureRole(tx: Db, tenantId: string, officialId: string, role: BackOfficeRole, agencyId: string): Promise<boolean> {
  const held = await tx.officialRole.findMany({ where: { tenantId, officialId, role } });
  const stale = held.filter((row) => row.agencyId !== agencyId);
  if (stale.length > 0) {
    await tx.officialRole.deleteMany({ where: { tenantId, officialId, role, agencyId: { in: stale.map((row) => row.agencyId) } } });
  }
  const missing = !held.some((row) => row.agencyId === agencyId);
  if (missing) await tx.officialRole.create({ data: { tenantId, officialId, role, agencyId } });
  return missing || stale.length > 0;
}

async function ensureOpenPosting(tx: Db, officialId: string, spec: OfficialSpec): Promise<boolean> {
  const { tenantId } = spec;
  const history = await tx.workHistoryEntry.findMany({ where: { tenantId, officialId }, orderBy: { startedOn: 'desc' } });
  const latest = history.find((entry) => entry.endedOn === null);
  if (latest && latest.agencyId === spec.agencyId && latest.position === spec.position) return false;
  if (latest) {
    // Never end a posting before it began (a correction made on the day it was opened).
    const endedOn = dateOnly(spec.startedOn) < latest.startedOn ? latest.startedOn : dateOnly(spec.startedOn);
    await tx.workHistoryEntry.update({ where: { tenantId_id: { tenantId, id: latest.id } }, data: { endedOn } });
  }
  await tx.workHistoryEntry.create({
    data: {
      tenantId,
      // Derived from the official and the entry's place in their history: stable, and never reused.
      id: stableUuid('work-history', tenantId, officialId, String(history.length)),
      officialId,
      agencyId: spec.agencyId,
      agencyName: spec.agencyName,
      provinceName: spec.provinceName,
      position: spec.position,
      startedOn: dateOnly(spec.startedOn),
    },
  });
  return true;
}

async function upsertAdmin(
  tx: Db,
  manifest: ProvinceManifest,
  agencyIdByCode: Map<string, string>,
  today: string,
  report: OnboardingReport,
) {
  const { admin } = manifest;
  const agency = manifest.agencies.find((candidate) => candidate.code === admin.agency);
  const agencyId = agencyIdByCode.get(admin.agency);
  if (!agency || !agencyId) throw new OnboardingError(`admin.agency: không có cơ quan mã ${admin.agency} trong ${manifest.slug}`);
  const { outcome, fieldChanges } = await upsertOfficialReporting(tx, {
    tenantId: manifest.id,
    email: admin.email,
    fullName: admin.fullName,
    agencyId,
    agencyName: agency.name,
    provinceName: manifest.name,
    position: admin.position,
    rankCode: admin.rankCode,
    rankName: admin.rankCode && CIVIL_SERVICE_RANKS[admin.rankCode],
    birthDate: admin.birthDate,
    gender: admin.gender,
    idNumber: admin.idNumber,
    phone: admin.phone,
    role: 'PROVINCE_ADMIN',
    startedOn: today,
  });
  // The agency by its code, as the manifest names it.
  const codeById = new Map([...agencyIdByCode].map(([code, id]) => [id, code]));
  const readable = fieldChanges.map((change) =>
    change.field === 'agencyId' ? { field: 'agency', from: codeById.get(String(change.from)) ?? change.from, to: admin.agency } : change,
  );
  report.fieldChanges.push(...readable.map((change) => formatFieldChange(`admin ${admin.email}`, change)));
  report.counts.admin = { created: outcome === 'created' ? 1 : 0, changed: outcome === 'changed' ? 1 : 0, unchanged: outcome === 'unchanged' ? 1 : 0 };
}

// ---------------------------------------------------------------- the use case

// Thrown inside the transaction to roll a dry run back; caught right outside it.
const dryRunRollback = new Error('dry run: roll back');

export async function onboardProvince(
  database: TransactionSource,
  manifest: ProvinceManifest,
  options: OnboardingOptions = {},
): Promise<OnboardingReport> {
  if (manifest.status === 'merged' && !options.mergerTarget) {
    throw new OnboardingError(`${manifest.slug} được sáp nhập vào "${manifest.mergedInto}": cần cả manifest của "${manifest.mergedInto}"`);
  }
  const units = unitsForProvince(manifest, options.mergerTarget);
  const today = options.today ?? todayIn(manifest.timeZone);
  const report = newReport(manifest, options.dryRun ?? false);
  try {
    // Units and the province first with no province set; then the province's own rows under its scope.
    await inTransaction(
      database,
      { tenantId: null, role: 'owner', timeoutMs: 120_000 },
      async (tx) => {
        const idByKey = await upsertUnits(tx, units, report);
        await upsertSuccessions(tx, units, idByKey, report);
        await upsertTenant(tx, manifest, idByKey.get(unitKeyString(units.province))!, options, report);
        // Row-level security is forced on tenant-owned tables, even for the owner.
        await enterTenant(tx, manifest.id);
        const agencyIdByCode = await upsertAgencies(tx, manifest, idByKey, report);
        await upsertAdmin(tx, manifest, agencyIdByCode, today, report);
        if (options.dryRun) throw dryRunRollback;
      },
    );
  } catch (error) {
    if (error !== dryRunRollback) throw error;
  }
  return report;
}
