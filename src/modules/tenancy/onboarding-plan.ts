// The pure half of onboarding: given what the manifest wants and what the database holds, decide
// what to create, what to update (only the fields that differ) and what to leave alone.
import { dateOnly, isoDateOf } from '../../kernel/dates';
import { stableUuid } from '../../kernel/ids';
import type { AgencyManifest } from './manifest';
import { unitKeyString, type SuccessionRecord, type UnitKey, type UnitRecord } from './unit-catalogue';

// ---------------------------------------------------------------- values

/** Today's date where the province is, as 'YYYY-MM-DD'. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function isDecimalLike(value: unknown): value is { toNumber(): number } {
  return typeof value === 'object' && value !== null && typeof (value as { toNumber?: unknown }).toNumber === 'function';
}

/** Equality as the database sees it: dates by instant, decimals by value, JSON regardless of key order. */
export function sameValue(current: unknown, desired: unknown): boolean {
  if (current === desired) return true;
  if (current === null || desired === null || current === undefined || desired === undefined) return false;
  if (current instanceof Date || desired instanceof Date) {
    return current instanceof Date && desired instanceof Date && current.getTime() === desired.getTime();
  }
  if (isDecimalLike(current) || isDecimalLike(desired)) {
    const asNumber = (value: unknown) => (isDecimalLike(value) ? value.toNumber() : Number(value));
    return asNumber(current) === asNumber(desired);
  }
  if (Array.isArray(current) || Array.isArray(desired)) {
    return (
      Array.isArray(current) &&
      Array.isArray(desired) &&
      current.length === desired.length &&
      current.every((item, index) => sameValue(item, desired[index]))
    );
  }
  if (typeof current === 'object' && typeof desired === 'object') {
    const currentKeys = Object.keys(current).sort();
    const desiredKeys = Object.keys(desired).sort();
    return (
      sameValue(currentKeys, desiredKeys) &&
      currentKeys.every((key) => sameValue((current as Record<string, unknown>)[key], (desired as Record<string, unknown>)[key]))
    );
  }
  return false;
}

/**
 * The fields of `desired` that differ from `current`. An undefined desired value means "the manifest
 * says nothing about it": the database keeps what it has (an admin may have filled it in since).
 */
export function changedFields<T extends Record<string, unknown>>(current: Record<string, unknown>, desired: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(desired) as (keyof T & string)[]) {
    if (desired[key] !== undefined && !sameValue(current[key], desired[key])) changes[key] = desired[key];
  }
  return changes;
}

export const hasChanges = (changes: object) => Object.keys(changes).length > 0;

export interface Tally {
  created: number;
  changed: number;
  unchanged: number;
}

export interface Plan<Create, Update> {
  create: Create[];
  update: Update[];
  unchanged: number;
}

export function tallyOf(plan: Plan<unknown, unknown>): Tally {
  return { created: plan.create.length, changed: plan.update.length, unchanged: plan.unchanged };
}

// ---------------------------------------------------------------- field changes (what a run prints)

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** Old and new value of each changed field, for the report. */
export function fieldChangesOf(current: Record<string, unknown>, changes: Record<string, unknown>): FieldChange[] {
  return Object.entries(changes).map(([field, to]) => ({ field, from: current[field] ?? null, to }));
}

/** Every date the plan compares is a `@db.Date`: shown as the day. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return `"${isoDateOf(value)}"`;
  if (isDecimalLike(value)) return String(value.toNumber());
  return JSON.stringify(value);
}

/** `tenant can-tho: name "Thành phố Cần Thơ" → "Tỉnh An Giang"` */
export function formatFieldChange(subject: string, change: FieldChange): string {
  return `${subject}: ${change.field} ${formatValue(change.from)} → ${formatValue(change.to)}`;
}

// ---------------------------------------------------------------- administrative units

export interface UnitRow {
  id: string;
  level: UnitRecord['level'];
  code: string;
  name: string;
  type: string;
  provinceCode: string;
  validFrom: Date;
  validTo: Date | null;
}

/** A unit as the database has it: any level, including the pre-2025 districts we do not write. */
export type ExistingUnit = Omit<UnitRow, 'level'> & { level: string };

export type UnitChanges = Partial<Pick<UnitRow, 'name' | 'type' | 'provinceCode' | 'validTo'>>;

export function unitRow(record: UnitRecord): UnitRow {
  return {
    id: stableUuid('administrative-unit', record.level, record.code, record.validFrom),
    level: record.level,
    code: record.code,
    name: record.name,
    type: record.type,
    provinceCode: record.provinceCode,
    validFrom: dateOnly(record.validFrom),
    validTo: record.validTo === null ? null : dateOnly(record.validTo),
  };
}

export function existingUnitKey(unit: ExistingUnit): string {
  return unitKeyString({ level: unit.level as UnitKey['level'], code: unit.code, validFrom: isoDateOf(unit.validFrom) });
}

export interface UnitPlan extends Plan<UnitRow, { id: string; changes: UnitChanges }> {
  /** Ids of every unit the plan knows, existing or to be created, by unitKeyString. */
  idByKey: Map<string, string>;
}

/** `existing` may hold more units than `desired` (successors of other provinces): they are only indexed. */
export function planUnits(desired: UnitRecord[], existing: ExistingUnit[]): UnitPlan {
  const existingByKey = new Map(existing.map((unit) => [existingUnitKey(unit), unit]));
  const idByKey = new Map([...existingByKey].map(([key, unit]) => [key, unit.id]));
  const plan: UnitPlan = { create: [], update: [], unchanged: 0, idByKey };
  const seen = new Set<string>();
  for (const record of desired) {
    const key = unitKeyString(record);
    if (seen.has(key)) continue;
    seen.add(key);
    const row = unitRow(record);
    const current = existingByKey.get(key);
    if (!current) {
      plan.create.push(row);
      idByKey.set(key, row.id);
      continue;
    }
    const changes = changedFields(current as unknown as Record<string, unknown>, {
      name: row.name,
      type: row.type,
      provinceCode: row.provinceCode,
      validTo: row.validTo,
    });
    if (hasChanges(changes)) plan.update.push({ id: current.id, changes });
    else plan.unchanged++;
  }
  return plan;
}

// ---------------------------------------------------------------- successions

export interface SuccessionRow {
  predecessorId: string;
  successorId: string;
  resolution: string;
  effectiveOn: Date;
}

export interface SuccessionPlan extends Plan<SuccessionRow, SuccessionRow> {
  /** Successions whose successor (or predecessor) is not in the database, e.g. a province not onboarded. */
  skipped: number;
}

export function planSuccessions(
  desired: SuccessionRecord[],
  idByKey: Map<string, string>,
  existing: SuccessionRow[],
): SuccessionPlan {
  const existingByPair = new Map(existing.map((row) => [`${row.predecessorId}>${row.successorId}`, row]));
  const plan: SuccessionPlan = { create: [], update: [], unchanged: 0, skipped: 0 };
  for (const succession of desired) {
    const predecessorId = idByKey.get(unitKeyString(succession.predecessor));
    const successorId = idByKey.get(unitKeyString(succession.successor));
    if (!predecessorId || !successorId) {
      plan.skipped++;
      continue;
    }
    const row: SuccessionRow = { predecessorId, successorId, resolution: succession.resolution, effectiveOn: dateOnly(succession.effectiveOn) };
    const current = existingByPair.get(`${predecessorId}>${successorId}`);
    if (!current) plan.create.push(row);
    else if (hasChanges(changedFields(current as unknown as Record<string, unknown>, { resolution: row.resolution, effectiveOn: row.effectiveOn }))) {
      plan.update.push(row);
    } else plan.unchanged++;
  }
  return plan;
}

// ---------------------------------------------------------------- agencies

/** Parents before children (the manifest is checked for unknown parents and cycles). */
export function agenciesInTreeOrder<T extends Pick<AgencyManifest, 'code' | 'parent'>>(agencies: T[]): T[] {
  const ordered: T[] = [];
  const placed = new Set<string>();
  let remaining = agencies;
  while (remaining.length > 0) {
    const ready = remaining.filter((agency) => agency.parent === undefined || placed.has(agency.parent));
    if (ready.length === 0) throw new Error(`agency tree has a cycle or unknown parent: ${remaining.map((a) => a.code).join(', ')}`);
    for (const agency of ready) {
      ordered.push(agency);
      placed.add(agency.code);
    }
    remaining = remaining.filter((agency) => !placed.has(agency.code));
  }
  return ordered;
}

export interface ExistingAgency {
  id: string;
  code: string;
  name: string;
  kind: string;
  parentId: string | null;
  unitId: string;
  email: string | null;
  phone: string | null;
  address: string | null;
}

export interface AgencyRow {
  tenantId: string;
  id: string;
  code: string;
  name: string;
  kind: AgencyManifest['kind'];
  parentId: string | null;
  unitId: string;
  email?: string;
  phone?: string;
  address?: string;
}

export interface AgencyUpdate {
  id: string;
  code: string;
  changes: Partial<AgencyRow>;
  /** As the report shows them: the parent by its code, not its id. */
  fieldChanges: FieldChange[];
}

export interface AgencyPlan extends Plan<AgencyRow, AgencyUpdate> {
  idByCode: Map<string, string>;
}

/** Agencies the database has but the manifest does not are left alone (they may hold dossiers). */
export function planAgencies(
  tenantId: string,
  agencies: AgencyManifest[],
  existing: ExistingAgency[],
  unitIdOf: (agency: AgencyManifest) => string,
): AgencyPlan {
  const existingByCode = new Map(existing.map((agency) => [agency.code, agency]));
  const codeById = new Map(existing.map((agency) => [agency.id, agency.code]));
  const idByCode = new Map<string, string>();
  const plan: AgencyPlan = { create: [], update: [], unchanged: 0, idByCode };
  for (const agency of agenciesInTreeOrder(agencies)) {
    const current = existingByCode.get(agency.code);
    const id = current?.id ?? stableUuid('agency', tenantId, agency.code);
    idByCode.set(agency.code, id);
    const fields = {
      name: agency.name,
      kind: agency.kind,
      parentId: agency.parent === undefined ? null : idByCode.get(agency.parent)!,
      unitId: unitIdOf(agency),
      email: agency.email,
      phone: agency.phone,
      address: agency.address,
    };
    if (!current) {
      plan.create.push({ tenantId, id, code: agency.code, ...fields });
      continue;
    }
    const changes = changedFields(current as unknown as Record<string, unknown>, fields);
    if (!hasChanges(changes)) {
      plan.unchanged++;
      continue;
    }
    const fieldChanges = fieldChangesOf(current as unknown as Record<string, unknown>, changes).map((change) =>
      change.field === 'parentId'
        ? { field: 'parent', from: current.parentId && (codeById.get(current.parentId) ?? current.parentId), to: agency.parent ?? null }
        : change,
    );
    plan.update.push({ id, code: agency.code, changes, fieldChanges });
  }
  return plan;
}

// ---------------------------------------------------------------- the tenant (the province itself)

export const IDENTITY_CHANGE_FLAG = '--allow-identity-change';

// A type, not an interface: changedFields wants a plain record.
export type TenantFields = {
  slug: string;
  name: string;
  gsoCode: string;
  codeValidFrom: Date;
  codeValidTo: Date | null;
  hostNames: string[];
  timeZone: string;
  officeHours: { start: string; end: string }[];
  status: 'ACTIVE' | 'MERGED';
  mergedIntoId: string | null;
  mergedOn: Date | null;
  unitId: string;
};

/** As the database has it: office hours are JSON it does not check. */
export type ExistingTenant = Omit<TenantFields, 'officeHours'> & { id: string; officeHours: unknown };

/**
 * What makes a province the one it is. A manifest copied with another province's id left in would
 * change these and turn that province into a new one, with its officials and dossiers: refused
 * unless the run says the change is meant. (unitId follows gsoCode and codeValidFrom.)
 */
export const IDENTITY_FIELDS = ['slug', 'name', 'gsoCode', 'codeValidFrom', 'codeValidTo', 'status', 'mergedIntoId', 'mergedOn'] as const;

export type TenantRefusal =
  | { kind: 'identity'; current: ExistingTenant; changes: FieldChange[] }
  | { kind: 'taken'; field: 'slug' | 'gsoCode'; value: string; owner: ExistingTenant };

export interface TenantPlan {
  create: boolean;
  changes: Partial<TenantFields>;
  fieldChanges: FieldChange[];
  /** Non-empty: nothing may be written. */
  refusals: TenantRefusal[];
}

const FOREVER = new Date('9999-12-31T00:00:00.000Z');

/** Whether two validity periods (end inclusive, null: still valid) share a day. */
export function periodsOverlap(a: { from: Date; to: Date | null }, b: { from: Date; to: Date | null }): boolean {
  return a.from <= (b.to ?? FOREVER) && b.from <= (a.to ?? FOREVER);
}

/**
 * `others` are the tenants with another id that share the slug or the GSO code (the code only
 * clashes when both are valid on some day: 44 was Quảng Bình, then Quảng Trị).
 */
export function planTenant(
  id: string,
  desired: TenantFields,
  current: ExistingTenant | null,
  others: ExistingTenant[],
  options: { allowIdentityChange?: boolean } = {},
): TenantPlan {
  const refusals: TenantRefusal[] = [];
  for (const owner of others.filter((other) => other.id !== id)) {
    if (owner.slug === desired.slug) refusals.push({ kind: 'taken', field: 'slug', value: desired.slug, owner });
    const sameCodeAtOnce =
      owner.gsoCode === desired.gsoCode &&
      periodsOverlap({ from: desired.codeValidFrom, to: desired.codeValidTo }, { from: owner.codeValidFrom, to: owner.codeValidTo });
    if (sameCodeAtOnce) refusals.push({ kind: 'taken', field: 'gsoCode', value: desired.gsoCode, owner });
  }
  if (!current) return { create: true, changes: desired, fieldChanges: [], refusals };
  const changes = changedFields(current as unknown as Record<string, unknown>, desired);
  const fieldChanges = fieldChangesOf(current as unknown as Record<string, unknown>, changes);
  const identityChanges = fieldChanges.filter((change) => (IDENTITY_FIELDS as readonly string[]).includes(change.field));
  if (identityChanges.length > 0 && !options.allowIdentityChange) refusals.push({ kind: 'identity', current, changes: identityChanges });
  return { create: false, changes, fieldChanges, refusals };
}

const periodOf = (tenant: { codeValidFrom: Date; codeValidTo: Date | null }) =>
  `${isoDateOf(tenant.codeValidFrom)} – ${tenant.codeValidTo ? isoDateOf(tenant.codeValidTo) : 'nay'}`;

/** What the platform admin reads: the file, each field with its old and new value, and what to do. */
export function tenantRefusalMessage(file: string, id: string, desired: TenantFields, refusals: TenantRefusal[]): string {
  const lines: string[] = [];
  for (const refusal of refusals) {
    if (refusal.kind === 'taken') {
      const { owner } = refusal;
      lines.push(
        refusal.field === 'slug'
          ? `${file}: slug: "${refusal.value}" đã thuộc về tỉnh khác: ${owner.name} (id ${owner.id})`
          : `${file}: gsoCode: mã "${refusal.value}" (${periodOf(desired)}) đang thuộc về ${owner.name} (${owner.slug}, id ${owner.id}, ${periodOf(owner)})`,
      );
      continue;
    }
    const { current } = refusal;
    lines.push(
      `${file}: id ${id} là ${current.name} (${current.slug}) trong cơ sở dữ liệu; manifest này sẽ đổi định danh của tỉnh đó:`,
      ...refusal.changes.map((change) => `  ${formatFieldChange(`tenant ${current.slug}`, change)}`),
      `Tỉnh mới thì cần id mới (npm run manifest:new -- ${desired.slug}); nếu chính tỉnh này đổi định danh, chạy lại với ${IDENTITY_CHANGE_FLAG}.`,
    );
  }
  return [...lines, 'Không ghi gì vào cơ sở dữ liệu.'].join('\n');
}
