// Officials in bulk for the directory workload: the demo provinces have a dozen each, a province's
// directory has thousands. Names are drawn as the dossiers' applicants' are (seed-dossiers.ts), from
// a fixed seed, so every run has the same names; search_name is folded as the service folds it.
// Rows only: no roles and no career (the directory page reads neither).
import pg from 'pg';
import { foldForSearch } from '../../src/kernel/text';
import { seededRandom } from '../../prisma/seed';
import { FAMILY, GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, MIDDLE_MALE } from './seed-dossiers';

const POSITIONS = ['Chuyên viên', 'Chuyên viên', 'Chuyên viên', 'Chuyên viên chính', 'Cán sự', 'Phó Trưởng phòng', 'Trưởng phòng', 'Văn thư', 'Kế toán viên', 'Thanh tra viên'];

const pick = <T>(items: readonly T[], next: () => number) => items[Math.floor(next() * items.length)];

/** `perProvince` officials in each province, spread over its agencies; as the owner. */
export async function seedOfficials(owner: pg.Client, provinces: { id: string; slug: string }[], perProvince: number): Promise<void> {
  for (const [index, province] of provinces.entries()) {
    const { rows: agencies } = await owner.query<{ id: string }>(`SELECT id FROM agency WHERE tenant_id = $1 ORDER BY code`, [province.id]);
    const next = seededRandom(`bench-officials-${index + 1}`);
    const columns = { name: [] as string[], search: [] as string[], gender: [] as string[], agency: [] as string[], position: [] as string[], email: [] as string[] };
    for (let n = 1; n <= perProvince; n++) {
      const female = next() < 0.5;
      const name = [pick(FAMILY, next), pick(female ? MIDDLE_FEMALE : MIDDLE_MALE, next), pick(female ? GIVEN_FEMALE : GIVEN_MALE, next)].join(' ');
      const folded = foldForSearch(name);
      const initials = folded.split(' ').slice(0, -1).map((part) => part[0]).join('');
      columns.name.push(name);
      columns.search.push(folded);
      columns.gender.push(female ? 'FEMALE' : 'MALE');
      columns.agency.push(pick(agencies, next).id);
      columns.position.push(pick(POSITIONS, next));
      columns.email.push(`${initials}${folded.split(' ').at(-1)}.${n}@bench.${province.slug}.gov.vn`);
    }
    await owner.query(
      `INSERT INTO official (tenant_id, id, person_id, full_name, search_name, gender, agency_id, position, email, status, created_at, updated_at)
       SELECT $1, gen_random_uuid(), gen_random_uuid(), u.name, u.search, u.gender::"Gender", u.agency, u.position, u.email, 'WORKING', now(), now()
       FROM unnest($2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[]) AS u(name, search, gender, agency, position, email)`,
      [province.id, columns.name, columns.search, columns.gender, columns.agency, columns.position, columns.email],
    );
  }
}
