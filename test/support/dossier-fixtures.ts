// The people and procedures the dossier tests act with, read from the seeded demo data through the
// API: a receiving clerk, a handler and a leader of an agency, and a procedure it performs.
import type { TestApi } from './api';
import { province } from './fixtures';

export interface Desk {
  slug: string;
  agencyId: string;
  agencyCode: string;
  procedureCode: string;
  requiredDocuments: string[];
  officials: { id: string; fullName: string }[];
  clerk: string;
  handler: string;
  leader: string;
  admin: string;
  handlerId: string;
}

/**
 * A desk at the first agency of `slug` whose name contains `agencyName`, for a procedure it performs
 * (in `unit` when given: a day off inside the processing time moves only a working-day due date).
 */
export async function openDesk(api: TestApi, slug: string, agencyName: string, unit?: 'WORKING_DAYS' | 'CALENDAR_DAYS'): Promise<Desk> {
  const manifest = province(slug);
  const admin = await api.token({ province: manifest.id, roles: ['official', 'province_admin'] });
  const agencies = await api.gql(`{ agencies(first: 100) { edges { node { id code name } } } }`, {}, { token: admin, province: slug });
  const agency = agencies.data!.agencies.edges.map((edge: any) => edge.node).find((node: any) => node.name.includes(agencyName));
  if (!agency) throw new Error(`no agency "${agencyName}" in ${slug}`);
  const staff = await api.gql(
    `query($agency: ID!) { officials(first: 20, filter: { agencyId: $agency }) { edges { node { id fullName } } } }`,
    { agency: agency.id },
    { token: admin, province: slug },
  );
  const officials = staff.data!.officials.edges.map((edge: any) => ({ id: decodeId(edge.node.id), fullName: edge.node.fullName }));
  if (officials.length < 3) throw new Error(`${agency.name} has fewer than three officials`);
  const performed = await api.gql(
    `query($agency: ID!) { provinceProcedures(first: 50, filter: { agencyId: $agency }) { edges { node { procedure { code processingTime { amount unit } requiredDocuments { code required } } } } } }`,
    { agency: agency.id },
    { province: slug },
  );
  const procedures = performed.data!.provinceProcedures.edges.map((edge: any) => edge.node.procedure);
  // A procedure that takes some days (due dates in the future) and asks for documents.
  const procedure = procedures.find(
    (candidate: any) =>
      candidate.processingTime.amount >= 3 &&
      (!unit || candidate.processingTime.unit === unit) &&
      candidate.requiredDocuments.some((document: any) => document.required),
  );
  if (!procedure) throw new Error(`${agency.name} performs no procedure${unit ? ` counted in ${unit}` : ''}`);
  const token = (sub: string, role: string) => api.token({ province: manifest.id, roles: ['official', role], agency: agency.code, sub });
  return {
    slug,
    agencyId: agency.id,
    agencyCode: agency.code,
    procedureCode: procedure.code,
    requiredDocuments: procedure.requiredDocuments.filter((document: any) => document.required).map((document: any) => document.code),
    officials,
    clerk: await token(officials[2].id, 'receiving_clerk'),
    handler: await token(officials[1].id, 'handler'),
    leader: await token(officials[0].id, 'leader'),
    admin,
    handlerId: edgeId('Official', officials[1].id),
  };
}

export const decodeId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');
export const edgeId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

let applicants = 0;
/** A valid applicant (Vietnamese name, 12-digit CCCD), different each time. */
export function applicant() {
  applicants++;
  return {
    name: ['Nguyễn Thị Lan', 'Trần Văn Hùng', 'Lê Hoàng Yến', 'Phạm Đức Thắng'][applicants % 4],
    type: 'CITIZEN',
    idNumber: `048${String(190000000 + applicants).padStart(9, '0')}`,
    phone: `0905${String(100000 + applicants).padStart(6, '0')}`,
    address: 'Tổ 5, phường Hải Châu, thành phố Đà Nẵng',
  };
}

export const RECEIVE = `mutation($input: ReceiveDossierInput!) {
  receiveDossier(input: $input) { code secret dossier { id code status dueAt receivedAt channel feeVnd } }
}`;

export const MOVE = `mutation($input: MoveDossierInput!) {
  moveDossier(input: $input) { id status dueAt originalDueAt pausedAt supplementRequests outcome endedAt resultReadyAt returnedAt allowedActions }
}`;

export function intake(desk: Desk, overrides: Record<string, unknown> = {}) {
  return {
    procedureCode: desk.procedureCode,
    agencyId: desk.agencyId,
    applicant: applicant(),
    summary: 'Đề nghị cấp Phiếu lý lịch tư pháp số 1 để bổ sung hồ sơ xin việc',
    documentsProvided: desk.requiredDocuments,
    ...overrides,
  };
}

/** The desk's clerk receives a dossier (overrides on the intake input); fails the test on any error. */
export async function receiveAt(api: TestApi, desk: Desk, overrides: Record<string, unknown> = {}) {
  const result = await api.gql(RECEIVE, { input: intake(desk, overrides) }, { token: desk.clerk, province: desk.slug });
  expect(result.errors).toBeUndefined();
  return result.data!.receiveDossier as { code: string; secret: string; dossier: { id: string; code: string; status: string; dueAt: string } };
}

/** One move of a dossier of the desk's province, its answer as it came (errors and all). */
export const moveAt = (api: TestApi, desk: Desk, token: string, dossierId: string, action: string, extra: Record<string, unknown> = {}) =>
  api.gql(MOVE, { input: { dossierId, action, ...extra } }, { token, province: desk.slug });

/** The same move, which must succeed: the moved dossier. */
export async function movedAt(api: TestApi, desk: Desk, token: string, dossierId: string, action: string, extra: Record<string, unknown> = {}) {
  const result = await moveAt(api, desk, token, dossierId, action, extra);
  expect(result.errors).toBeUndefined();
  return result.data!.moveDossier;
}
