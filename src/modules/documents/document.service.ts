// Official documents: drafting, the outgoing lifecycle up to issue with the next number of the
// issuer's series, the incoming register and its handling. Every function runs in the caller's unit
// of work (`ctx.db`, row-level security to the province) and logs every move.
import type { Context, ProvinceContext } from '../../context/context';
import { callerAgency, currentOfficial } from '../../context/current-official';
import { hasRole } from '../../context/caller';
import type { BackOfficeRole } from '../../generated/prisma/enums';
import { AppError, ErrorCode, invalidInput } from '../../errors';
import type { DocumentCirculation, DocumentConfidentiality, DocumentSeries, DocumentUrgency, IncomingStatus, OutgoingStatus } from '../../generated/prisma/enums';
import type { Prisma } from '../../generated/prisma/client';
import { dateOnly } from '../../kernel/dates';
import { refusedMove, type RefusedPlan } from '../../kernel/lifecycle-refusal';
import { tenantKey } from '../../kernel/tenant-key';
import { vietnamDateOf } from '../../kernel/vietnam-time';
import { takeFiles } from '../files/file.service';
import { defaultIssuerAbbreviation, formatSymbol, seriesOf, SIGNER_AUTHORITIES, type DocumentType, type SignerAuthority } from './document-symbol';
import { parseDraft, parseIncoming } from './document.inputs';
import { oncePerContext } from '../../kernel/per-context';
import { loadWorkingCalendar } from '../calendar/calendar.service';
import { deadlineAfterWorkingDays, workingDaysLate } from './document-deadlines';
import { searchTextOf } from './document-search';
import { reportToSender } from './exchange.service';
import {
  INCOMING_ACTION_NAME,
  OUTGOING_ACTION_NAME,
  incomingLifecycle,
  outgoingLifecycle,
  ENVELOPE_REPORT,
  type DocumentActor,
  type IncomingAction,
  type OutgoingAction,
} from './document-lifecycle';

type DocumentQuery = { select?: Prisma.OfficialDocumentSelect; include?: Prisma.OfficialDocumentInclude };
type IncomingQuery = { select?: Prisma.IncomingDocumentSelect; include?: Prisma.IncomingDocumentInclude };

export const documentNotFound = () => new AppError(ErrorCode.NOT_FOUND, 'Không tìm thấy văn bản, hoặc bạn không có quyền xem văn bản này.');

const isOfficial = (ctx: Context) => ctx.caller.kind === 'official';
const holds = (ctx: Context, role: BackOfficeRole) => hasRole(ctx.caller, role);

/** A leader or the document clerk: who keeps an agency's registers, secret entries included. */
export const keepsRegisters = (ctx: Context) => holds(ctx, 'LEADER') || holds(ctx, 'DOCUMENT_CLERK');

// ---------------------------------------------------------------- who acts as what, who sees what

/** The capacities in which the caller acts on an outgoing document of `issuerId` drafted by `draftedById`. */
export async function outgoingActors(ctx: Context, document: { issuerId: string; draftedById: string }): Promise<DocumentActor[]> {
  if (!isOfficial(ctx)) return [];
  const [agency, self] = await Promise.all([callerAgency(ctx), currentOfficial(ctx)]);
  const actors: DocumentActor[] = [];
  if (self?.id === document.draftedById) actors.push('DRAFTER');
  if (agency?.id === document.issuerId && holds(ctx, 'LEADER')) actors.push('LEADER');
  if (agency?.id === document.issuerId && holds(ctx, 'DOCUMENT_CLERK')) actors.push('CLERK');
  return actors;
}

/**
 * The issuer's leaders and clerks and the drafter see a document at every step. Once issued, a
 * document of normal confidentiality is seen by every official of the province; a secret one
 * (mật, tối mật, tuyệt mật) stays with those granted: its issuer's leaders and clerks, its drafter
 * and signer.
 */
export async function canSeeOutgoing(ctx: Context, document: { issuerId: string; draftedById: string; signerId: string | null; status: OutgoingStatus; confidentiality: DocumentConfidentiality }): Promise<boolean> {
  if (!isOfficial(ctx)) return false;
  if ((await outgoingActors(ctx, document)).length) return true;
  if (document.confidentiality !== 'NORMAL') return (await currentOfficial(ctx))?.id === document.signerId && document.signerId !== null;
  return document.status === 'ISSUED';
}

/** The capacities in which the caller acts on an incoming document of `agencyId`. */
async function incomingActors(ctx: Context, incoming: { agencyId: string; assigneeId: string | null }): Promise<DocumentActor[]> {
  if (!isOfficial(ctx)) return [];
  const [agency, self] = await Promise.all([callerAgency(ctx), currentOfficial(ctx)]);
  const actors: DocumentActor[] = [];
  if (agency?.id === incoming.agencyId && holds(ctx, 'LEADER')) actors.push('LEADER');
  if (agency?.id === incoming.agencyId && holds(ctx, 'DOCUMENT_CLERK')) actors.push('CLERK');
  if (self && self.id === incoming.assigneeId) actors.push('ASSIGNEE');
  return actors;
}

/** The receiving agency's officials and province admins see its incoming documents; a secret one only its leaders, clerks and assignee. */
export async function canSeeIncoming(ctx: Context, incoming: { agencyId: string; assigneeId: string | null; confidentiality: DocumentConfidentiality }): Promise<boolean> {
  if (!isOfficial(ctx)) return false;
  if ((await incomingActors(ctx, incoming)).length) return true;
  if (incoming.confidentiality !== 'NORMAL') return false;
  // Province admins follow every agency's register (the deadline report), secret entries excepted.
  return holds(ctx, 'PROVINCE_ADMIN') || (await callerAgency(ctx))?.id === incoming.agencyId;
}

// ---------------------------------------------------------------- outgoing

export interface DraftInput {
  type: DocumentType;
  normative?: boolean | null;
  draftingUnit?: string | null;
  summary: string;
  urgency?: DocumentUrgency | null;
  confidentiality?: DocumentConfidentiality | null;
  /** Printed on it; NOI_BO keeps it within the province. */
  circulation?: DocumentCirculation | null;
  recipientsText: string;
  /** The draft's file (POST /files?kind=DOCUMENT). */
  fileId?: string | null;
}

/** An official drafts a document in the name of their agency. */
export async function draftDocument(ctx: ProvinceContext, input: DraftInput, query: DocumentQuery = {}) {
  const fields = parseDraft({ ...input, normative: input.normative ?? false });
  const [agency, self] = await Promise.all([callerAgency(ctx), currentOfficial(ctx)]);
  if (!agency || !self || self.agencyId !== agency.id) {
    throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ cán bộ đang công tác tại cơ quan mới soạn thảo văn bản của cơ quan.');
  }
  if (input.fileId) await takeFiles(ctx, [input.fileId], 'DOCUMENT');
  const document = await ctx.db.officialDocument.create({
    data: {
      tenantId: ctx.province.id,
      issuerId: agency.id,
      ...fields,
      urgency: input.urgency ?? 'NORMAL',
      confidentiality: input.confidentiality ?? 'NORMAL',
      circulation: input.circulation ?? 'UNRESTRICTED',
      fileId: input.fileId ?? null,
      draftedById: self.id,
      draftedByName: self.fullName,
      createdAt: ctx.now,
      searchText: searchTextOf(fields),
    },
    select: { id: true },
  });
  await logMove(ctx, { documentId: document.id }, 'DRAFT', null, 'DRAFT', null);
  return ctx.db.officialDocument.findUniqueOrThrow({ ...query, where: tenantKey(ctx, document.id) });
}

export interface OutgoingMoveInput {
  documentId: string;
  action: OutgoingAction;
  note?: string | null;
  /** With SIGN: the signer's authority prefix (none when the head signs in their own name) and position. */
  signerAuthority?: SignerAuthority | null;
  signerPosition?: string | null;
}

/** What a refused move of a document or an envelope answers (kernel/lifecycle-refusal.ts). */
export const refused = <A extends string>(action: A, names: Record<A, string>, status: string, plan: RefusedPlan<A>) =>
  refusedMove({ action, names, thing: 'văn bản', status, plan, missingMessages: MISSING_FIELD_MESSAGE });

const MISSING_FIELD_MESSAGE: Record<string, string> = {
  note: 'Cần ghi lý do',
  signerPosition: 'Cần chức vụ của người ký',
  assigneeId: 'Cần chọn cán bộ xử lý',
  deadline: 'Cần hạn xử lý',
};

/** Moves an outgoing document; ISSUE gives it the next number of its issuer's series this year. */
export async function moveDocument(ctx: ProvinceContext, input: OutgoingMoveInput, query: DocumentQuery = {}) {
  const document = await ctx.db.officialDocument.findUnique({ where: tenantKey(ctx, input.documentId), include: { issuer: { select: { name: true, documentAbbreviation: true } } } });
  if (!document || !(await canSeeOutgoing(ctx, document))) throw documentNotFound();
  const actors = await outgoingActors(ctx, document);
  const note = input.note?.trim() || null;
  const position = input.signerPosition?.trim() || null;
  const plan = outgoingLifecycle.plan(document.status, input.action, actors, [...(note ? ['note' as const] : []), ...(position ? ['signerPosition' as const] : [])]);
  if (!plan.ok) throw refused(input.action, OUTGOING_ACTION_NAME, document.status, plan);
  const changes: Prisma.OfficialDocumentUpdateManyMutationInput = { status: plan.to };
  if (plan.effects.includes('SIGNER')) {
    const self = await currentOfficial(ctx);
    if (input.signerAuthority && !(input.signerAuthority in SIGNER_AUTHORITIES)) throw invalidInput([{ field: 'signerAuthority', message: 'Thẩm quyền ký là TM, KT, TL, TUQ hoặc Q' }]);
    Object.assign(changes, { signerId: self!.id, signerName: self!.fullName, signerAuthority: input.signerAuthority ?? null, signerPosition: position!.slice(0, 200) });
  }
  if (plan.effects.includes('NUMBER')) {
    const today = vietnamDateOf(ctx.now);
    const year = Number(today.slice(0, 4));
    const series = seriesOf(document);
    const number = await nextNumber(ctx, document.issuerId, year, series);
    const issuer = document.issuer.documentAbbreviation ?? defaultIssuerAbbreviation(document.issuer.name);
    const symbol = formatSymbol({ number, type: document.type, issuer, unit: document.draftingUnit });
    Object.assign(changes, { series, year, number, symbol, issuedOn: dateOnly(today), place: placeOf(ctx.province.name), issuedAt: ctx.now });
  }
  changes.searchText = searchTextOf({ ...document, ...(changes as { symbol?: string; signerName?: string }) });
  // Only if nobody moved it meanwhile: two clerks issuing at once must not both succeed.
  const updated = await ctx.db.officialDocument.updateMany({ where: { tenantId: ctx.province.id, id: document.id, status: document.status }, data: changes });
  if (updated.count === 0) throw new AppError(ErrorCode.CONFLICT, 'Văn bản vừa được người khác cập nhật; hãy tải lại và thử lại.');
  await logMove(ctx, { documentId: document.id }, input.action, document.status, plan.to, note);
  return ctx.db.officialDocument.findUniqueOrThrow({ ...query, where: tenantKey(ctx, document.id) });
}

/** The place printed beside the date: the province's name without its kind (Đà Nẵng, Vĩnh Long). */
const placeOf = (provinceName: string) => provinceName.replace(/^(Tỉnh|Thành phố)\s+/u, '');

/** The next number of the issuer's series, taken inside the transaction: a rollback gives it back. */
async function nextNumber(ctx: ProvinceContext, agencyId: string, year: number, series: DocumentSeries): Promise<number> {
  const [row] = await ctx.db.$queryRaw<{ last_value: number }[]>`
    INSERT INTO document_counter (tenant_id, agency_id, year, series, last_value)
    VALUES (${ctx.province.id}::uuid, ${agencyId}::uuid, ${year}, ${series}::"DocumentSeries", 1)
    ON CONFLICT (tenant_id, agency_id, year, series) DO UPDATE SET last_value = document_counter.last_value + 1
    RETURNING last_value`;
  return row.last_value;
}

export async function logMove(ctx: ProvinceContext, of: { documentId: string } | { incomingId: string }, action: string, from: string | null, to: string, note: string | null) {
  const self = await currentOfficial(ctx);
  await ctx.db.documentLogEntry.create({
    data: { tenantId: ctx.province.id, ...of, action, fromStatus: from, toStatus: to, actorId: self?.id ?? null, actorName: self?.fullName ?? null, note, at: ctx.now },
  });
}

// ---------------------------------------------------------------- incoming

export interface IncomingInput {
  symbol: string;
  type?: DocumentType | null;
  issuerName: string;
  issuedOn: Date;
  summary: string;
  urgency?: DocumentUrgency | null;
  confidentiality?: DocumentConfidentiality | null;
}

/** A document clerk registers a received document in the agency's incoming register, with the next incoming number. */
export async function registerIncoming(ctx: ProvinceContext, input: IncomingInput, query: IncomingQuery = {}) {
  const agency = await callerAgency(ctx);
  if (!agency || !holds(ctx, 'DOCUMENT_CLERK')) throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ văn thư của cơ quan mới vào sổ văn bản đến.');
  const fields = parseIncoming(input, dateOnly(vietnamDateOf(ctx.now)));
  const id = await enterInRegister(ctx, agency.id, { ...fields, urgency: input.urgency ?? 'NORMAL', confidentiality: input.confidentiality ?? 'NORMAL' }, null);
  return ctx.db.incomingDocument.findUniqueOrThrow({ ...query, where: tenantKey(ctx, id) });
}

/** A received document's entry in `agencyId`'s register, with the next incoming number of the year. */
export async function enterInRegister(
  ctx: ProvinceContext,
  agencyId: string,
  fields: { symbol: string; type: DocumentType; issuerName: string; issuedOn: Date; summary: string; urgency: DocumentUrgency; confidentiality: DocumentConfidentiality },
  envelopeId: string | null,
): Promise<string> {
  const year = Number(vietnamDateOf(ctx.now).slice(0, 4));
  const [row] = await ctx.db.$queryRaw<{ last_value: number }[]>`
    INSERT INTO incoming_counter (tenant_id, agency_id, year, last_value) VALUES (${ctx.province.id}::uuid, ${agencyId}::uuid, ${year}, 1)
    ON CONFLICT (tenant_id, agency_id, year) DO UPDATE SET last_value = incoming_counter.last_value + 1
    RETURNING last_value`;
  const incoming = await ctx.db.incomingDocument.create({
    data: { tenantId: ctx.province.id, agencyId, status: 'RECEIVED', incomingNumber: row.last_value, year, ...fields, envelopeId, receivedAt: ctx.now, createdAt: ctx.now },
    select: { id: true },
  });
  await logMove(ctx, { incomingId: incoming.id }, 'REGISTER', null, 'RECEIVED', null);
  return incoming.id;
}

export interface IncomingMoveInput {
  incomingId: string;
  action: IncomingAction;
  assigneeId?: string | null;
  deadline?: Date | null;
  /** With ASSIGN, instead of a date: within this many working days from today, by the province's calendar. */
  workingDays?: number | null;
  instructions?: string | null;
  /** With FINISH: the outgoing document that answered it. */
  replyId?: string | null;
  note?: string | null;
}

export async function moveIncoming(ctx: ProvinceContext, input: IncomingMoveInput, query: IncomingQuery = {}) {
  const incoming = await ctx.db.incomingDocument.findUnique({ where: tenantKey(ctx, input.incomingId) });
  if (!incoming || !(await canSeeIncoming(ctx, incoming))) throw documentNotFound();
  const actors = await incomingActors(ctx, incoming);
  if (input.workingDays !== null && input.workingDays !== undefined) {
    if (input.deadline) throw invalidInput([{ field: 'workingDays', message: 'Cho hạn xử lý bằng ngày hoặc bằng số ngày làm việc, không cả hai' }]);
    if (!Number.isInteger(input.workingDays) || input.workingDays < 1 || input.workingDays > 60) throw invalidInput([{ field: 'workingDays', message: 'Số ngày làm việc từ 1 đến 60' }]);
    input = { ...input, deadline: dateOnly(deadlineAfterWorkingDays(await calendarOf(ctx), vietnamDateOf(ctx.now), input.workingDays)) };
  }
  const filled = [...(input.assigneeId ? ['assigneeId' as const] : []), ...(input.deadline ? ['deadline' as const] : [])];
  const plan = incomingLifecycle.plan(incoming.status, input.action, actors, filled);
  if (!plan.ok) throw refused(input.action, INCOMING_ACTION_NAME, incoming.status, plan);
  const changes: Prisma.IncomingDocumentUpdateManyMutationInput = { status: plan.to as IncomingStatus };
  if (plan.effects.includes('ASSIGNEE')) {
    const assignee = await ctx.db.official.findUnique({ where: tenantKey(ctx, input.assigneeId!), select: { id: true, status: true, agencyId: true } });
    if (!assignee || assignee.status !== 'WORKING' || assignee.agencyId !== incoming.agencyId) {
      throw invalidInput([{ field: 'assigneeId', message: 'Cán bộ xử lý phải đang công tác tại cơ quan nhận văn bản' }]);
    }
    if (input.deadline! < dateOnly(vietnamDateOf(ctx.now))) throw invalidInput([{ field: 'deadline', message: 'Hạn xử lý không thể trước hôm nay' }]);
    Object.assign(changes, { assigneeId: assignee.id, deadline: input.deadline, instructions: input.instructions?.trim().slice(0, 2000) || null });
  }
  if (plan.effects.includes('DONE')) {
    if (input.replyId) {
      const reply = await ctx.db.officialDocument.findUnique({ where: tenantKey(ctx, input.replyId), select: { status: true, issuerId: true } });
      if (!reply || reply.status !== 'ISSUED' || reply.issuerId !== incoming.agencyId) {
        throw invalidInput([{ field: 'replyId', message: 'Văn bản trả lời phải là văn bản đã phát hành của cơ quan' }]);
      }
    }
    Object.assign(changes, { doneAt: ctx.now, replyId: input.replyId ?? null });
  }
  const updated = await ctx.db.incomingDocument.updateMany({ where: { tenantId: ctx.province.id, id: incoming.id, status: incoming.status }, data: changes });
  if (updated.count === 0) throw new AppError(ErrorCode.CONFLICT, 'Văn bản vừa được người khác cập nhật; hãy tải lại và thử lại.');
  await logMove(ctx, { incomingId: incoming.id }, input.action, incoming.status, plan.to, input.note?.trim() || null);
  // The sender sees the handling of what it sent.
  if (incoming.envelopeId) await reportToSender(ctx, incoming.envelopeId, ENVELOPE_REPORT[input.action]);
  return ctx.db.incomingDocument.findUniqueOrThrow({ ...query, where: tenantKey(ctx, incoming.id) });
}

/** The moves the caller may make now, for a frontend's buttons. */
export async function allowedOutgoingActions(ctx: Context, document: { issuerId: string; draftedById: string; status: OutgoingStatus }) {
  return outgoingLifecycle.allowedActions(document.status, await outgoingActors(ctx, document));
}

export async function allowedIncomingActions(ctx: Context, incoming: { agencyId: string; assigneeId: string | null; status: IncomingStatus }) {
  return incomingLifecycle.allowedActions(incoming.status, await incomingActors(ctx, incoming));
}

// ---------------------------------------------------------------- the deadline report

const CALENDAR = {};

/** Overdue entries one deadline report reads at most. */
export const DEADLINE_REPORT_MAX_ENTRIES = 5_000;

/** The province's working calendar from last year to next, once per context. */
const calendarOf = (ctx: ProvinceContext) => {
  const year = Number(vietnamDateOf(ctx.now).slice(0, 4));
  return oncePerContext(ctx, CALENDAR, () => loadWorkingCalendar(ctx.db, ctx.province.id, year - 1, year + 1));
};

/** Working days an open entry is past its deadline, by the province's calendar; 0 when it is not. */
export async function incomingWorkingDaysLate(ctx: ProvinceContext, incoming: { status: IncomingStatus; deadline: Date | null }): Promise<number> {
  if (!incoming.deadline || incoming.status === 'DONE' || incoming.status === 'REFUSED') return 0;
  return workingDaysLate(await calendarOf(ctx), incoming.deadline.toISOString().slice(0, 10), vietnamDateOf(ctx.now));
}

export interface DeadlineRow {
  agencyId: string;
  agencyName: string;
  assigneeId: string | null;
  assigneeName: string | null;
  overdue: number;
  mostWorkingDaysLate: number;
  incomingIds: string[];
}

/**
 * What is overdue in the incoming registers of a year, by agency (unit) and handler, with the working
 * days late by the province's calendar: a province admin's for every agency, a leader's or clerk's for
 * their own. Most overdue first.
 */
export async function incomingDeadlineReport(ctx: ProvinceContext, year: number): Promise<DeadlineRow[]> {
  const own = await callerAgency(ctx);
  const wholeProvince = holds(ctx, 'PROVINCE_ADMIN');
  if (!wholeProvince && !(own && keepsRegisters(ctx))) {
    throw new AppError(ErrorCode.FORBIDDEN, 'Báo cáo hạn xử lý dành cho lãnh đạo, văn thư của cơ quan hoặc quản trị tỉnh.');
  }
  const today = vietnamDateOf(ctx.now);
  const entries = await ctx.db.incomingDocument.findMany({
    where: {
      tenantId: ctx.province.id,
      year,
      status: { in: ['RECEIVED', 'ASSIGNED', 'IN_PROGRESS'] },
      deadline: { lt: dateOnly(today) },
      // A province admin sees other agencies' secret entries no more here than anywhere.
      ...(wholeProvince ? { OR: [{ confidentiality: 'NORMAL' as const }, ...(own ? [{ agencyId: own.id }] : [])] } : { agencyId: own!.id }),
    },
    select: { id: true, agencyId: true, assigneeId: true, status: true, deadline: true },
    orderBy: [{ deadline: 'asc' }, { id: 'asc' }],
    // One request reads a bounded number of entries, the oldest deadlines (the latest) first.
    take: DEADLINE_REPORT_MAX_ENTRIES,
  });
  const calendar = await calendarOf(ctx);
  const [agencies, officials] = await Promise.all([
    ctx.db.agency.findMany({ where: { tenantId: ctx.province.id, id: { in: [...new Set(entries.map((entry) => entry.agencyId))] } }, select: { id: true, name: true } }),
    ctx.db.official.findMany({ where: { tenantId: ctx.province.id, id: { in: entries.flatMap((entry) => (entry.assigneeId ? [entry.assigneeId] : [])) } }, select: { id: true, fullName: true } }),
  ]);
  const agencyName = new Map(agencies.map((agency) => [agency.id, agency.name]));
  const officialName = new Map(officials.map((official) => [official.id, official.fullName]));
  const rows = new Map<string, DeadlineRow>();
  for (const entry of entries) {
    const key = `${entry.agencyId}:${entry.assigneeId ?? ''}`;
    const row = rows.get(key) ?? { agencyId: entry.agencyId, agencyName: agencyName.get(entry.agencyId) ?? '', assigneeId: entry.assigneeId, assigneeName: entry.assigneeId ? (officialName.get(entry.assigneeId) ?? null) : null, overdue: 0, mostWorkingDaysLate: 0, incomingIds: [] };
    row.overdue++;
    row.mostWorkingDaysLate = Math.max(row.mostWorkingDaysLate, workingDaysLate(calendar, entry.deadline!.toISOString().slice(0, 10), today));
    row.incomingIds.push(entry.id);
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.mostWorkingDaysLate - a.mostWorkingDaysLate || b.overdue - a.overdue || a.agencyName.localeCompare(b.agencyName, 'vi'));
}
