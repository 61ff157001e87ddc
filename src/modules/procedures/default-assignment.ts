// Which agency performs a catalogue procedure in a new province, before its admins decide otherwise:
// commune-level procedures go to every commune committee; province-level ones to the department
// whose remit covers the field (as departments stand after the 2025 mergers). Pure.
import { foldForSearch } from '../../kernel/text';

export interface AgencyForAssignment {
  code: string;
  name: string;
  kind: string;
}

// Field-name keyword -> department-name keyword, both folded (no diacritics).
const DEPARTMENT_BY_FIELD: [field: string, department: string][] = [
  ['ho tich', 'tu phap'],
  ['ly lich tu phap', 'tu phap'],
  ['chung thuc', 'tu phap'],
  ['cong chung', 'tu phap'],
  ['dat dai', 'nong nghiep va moi truong'],
  ['moi truong', 'nong nghiep va moi truong'],
  ['nong nghiep', 'nong nghiep va moi truong'],
  ['xay dung', 'xay dung'],
  ['duong bo', 'xay dung'],
  ['giao thong', 'xay dung'],
  ['doanh nghiep', 'tai chinh'],
  ['kinh doanh', 'tai chinh'],
  ['dau tu', 'tai chinh'],
  ['bao tro xa hoi', 'y te'],
  ['y te', 'y te'],
  ['kham benh', 'y te'],
  ['nguoi co cong', 'noi vu'],
  ['lao dong', 'noi vu'],
  ['viec lam', 'noi vu'],
  ['giao duc', 'giao duc'],
  ['van bang', 'giao duc'],
  ['thi dua', 'noi vu'],
  ['khoa hoc', 'khoa hoc'],
];

/** The agencies (codes) that perform a procedure of this field and level by default; [] if none fits. */
export function defaultAgenciesFor(procedure: { level: 'PROVINCE' | 'COMMUNE'; fieldName: string }, agencies: readonly AgencyForAssignment[]): string[] {
  if (procedure.level === 'COMMUNE') return agencies.filter((agency) => agency.kind === 'COMMUNE_COMMITTEE').map((agency) => agency.code);
  const field = foldForSearch(procedure.fieldName);
  const departments = agencies.filter((agency) => agency.kind === 'DEPARTMENT');
  for (const [fieldKeyword, departmentKeyword] of DEPARTMENT_BY_FIELD) {
    if (!field.includes(fieldKeyword)) continue;
    const department = departments.find((agency) => foldForSearch(agency.name).includes(`so ${departmentKeyword}`));
    if (department) return [department.code];
  }
  return [];
}
