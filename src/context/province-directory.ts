// Finds provinces by id, GSO code, slug or host name. The list is small and changes only through
// onboarding, so it is read once and refreshed in the background rather than on every request.
import type { TransactionSource } from '../db/unit-of-work';
import { inTransaction } from '../db/unit-of-work';
import type { ProvinceRef } from './caller';

export interface ProvinceRecord extends ProvinceRef {
  hostNames: string[];
  codeValidFrom: Date;
  codeValidTo: Date | null;
}

/** Pure: a slug, or a GSO code held today (else by its most recent holder). */
export function matchProvince(provinces: ProvinceRecord[], selector: string, today: Date): ProvinceRecord | null {
  const key = selector.toLowerCase();
  const bySlug = provinces.find((province) => province.slug === key);
  if (bySlug) return bySlug;
  const holders = provinces
    .filter((province) => province.gsoCode === selector)
    .sort((a, b) => (b.codeValidTo ?? today).getTime() - (a.codeValidTo ?? today).getTime());
  return holders.find((province) => province.codeValidFrom <= today && (!province.codeValidTo || province.codeValidTo >= today)) ?? holders[0] ?? null;
}

export function matchHost(provinces: ProvinceRecord[], host: string): ProvinceRecord | null {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  return provinces.find((province) => province.hostNames.includes(name)) ?? null;
}

export interface ProvinceDirectory {
  find(selector: string): Promise<ProvinceRef | null>;
  findById(id: string): Promise<ProvinceRef | null>;
  findByHost(host: string): Promise<ProvinceRef | null>;
  /** Every province with its host names (CORS origins, metrics per province). */
  list(): Promise<ProvinceRecord[]>;
}

const toRef = (record: ProvinceRecord | null | undefined): ProvinceRef | null =>
  record ? { id: record.id, slug: record.slug, name: record.name, gsoCode: record.gsoCode, status: record.status } : null;

export function createProvinceDirectory(source: TransactionSource, refreshMs = 30_000): ProvinceDirectory {
  let loaded: { at: number; provinces: Promise<ProvinceRecord[]> } | null = null;

  const load = () =>
    inTransaction(source, { tenantId: null, role: 'app', timeoutMs: 10_000 }, async (tx) => {
      const rows = await tx.tenant.findMany({ orderBy: { slug: 'asc' } });
      return rows.map((row) => ({ ...row, hostNames: row.hostNames.map((name) => name.toLowerCase()) }));
    });

  const provinces = () => {
    if (!loaded || Date.now() - loaded.at > refreshMs) {
      const next = { at: Date.now(), provinces: load() };
      next.provinces.catch(() => (loaded = null));
      loaded = next;
    }
    return loaded.provinces;
  };

  return {
    find: async (selector) => toRef(matchProvince(await provinces(), selector, new Date())),
    findById: async (id) => toRef((await provinces()).find((province) => province.id === id)),
    findByHost: async (host) => toRef(matchHost(await provinces(), host)),
    list: () => provinces(),
  };
}
