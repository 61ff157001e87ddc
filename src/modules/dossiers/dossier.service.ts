// Use cases of dossiers: intake (online by a citizen, in person by a clerk), moves through the
// national status list, assignment and extension. Each runs in the request's transaction: the
// dossier, its log entry, the national-portal outbox record and the event for subscribers are
// written together or not at all.
import type { ProvinceContext } from '../../context/context';
import type { Db } from '../../db/tenant-scope';
import { AppError, ErrorCode, invalidInput, type FieldError } from '../../errors';
import type { DossierFileRole } from '../../generated/prisma/enums';
import { takeFiles } from '../files/file.service';
import type { Prisma } from '../../generated/prisma/client';
import { calendarAround } from '../calendar/calendar.service';
import { dueDate, dueDateAfterPause } from '../calendar/due-date';
import { vietnamDateOf } from '../../kernel/vietnam-time';
import { tenantKey } from '../../kernel/tenant-key';
import { refusedMove } from '../../kernel/lifecycle-refusal';
import { asNationalTerms } from '../procedures/procedure.service';
import { effectiveProcessingTime, missingDocuments, nationalFee } from '../procedures/procedure-terms';
import { PROCEDURE_CODE } from '../procedures/catalogue-file';
import { callerAgency, currentOfficial } from '../../context/current-official';
import { actorsFor } from './dossier-access';
import { formatDossierCode, hashTrackingSecret, newTrackingSecret } from './dossier-code';
import { publishDossierEvent } from './dossier-events';
import { parseIntake, parseMoveDetails, parseMoveRecords, parseRating, type PaymentInput } from './dossier.inputs';
import type { ResultReturnMethod } from '../../generated/prisma/enums';
import { notTracked, trackDossier } from './tracking.service';
import {
  ACTION_NAME,
  MISSING_FIELD_MESSAGE,
  isOpen,
  moveChanges,
  planMove,
  type Actor,
  type ClockEffect,
  type DossierAction,
  type DossierEffect,
  type DossierStatus,
  type DueDates,
} from './lifecycle';
import { recordPortalChange } from './portal-sync.service';

type DossierQuery = Omit<Prisma.DossierFindUniqueArgs, 'where'>;

export interface IntakeInput {
  procedureCode: string;
  agencyId: string;
  channel?: 'IN_PERSON' | 'ONLINE' | 'POSTAL' | null;
  applicant: unknown;
  representativeName?: string | null;
  summary: string;
  documentsProvided: string[];
  /** Documents filed as uploaded files (kind DOSSIER_PAPER); each counts as handed in, and as a digitised component. */
  papers?: DossierPaper[];
  /** At the counter: the clerk read the applicant's chip ID card or VNeID app. Online, the caller's sign-in decides. */
  identityVerified?: boolean | null;
}

export interface DossierPaper {
  documentCode: string;
  fileId: string;
}

/** The dossier takes the files (see takeFiles) and lists them in `role`, in the caller's transaction. */
async function attachFiles(ctx: ProvinceContext, dossierId: string, role: DossierFileRole, files: readonly { fileId: string; documentCode: string | null }[]) {
  if (!files.length) return;
  await takeFiles(ctx, files.map((file) => file.fileId), role === 'RESULT' ? 'DOSSIER_RESULT' : 'DOSSIER_PAPER');
  await ctx.db.dossierFile.createMany({
    data: files.map((file) => ({ tenantId: ctx.province.id, dossierId, fileId: file.fileId, role, documentCode: file.documentCode, attachedAt: ctx.now })),
  });
}

const movedMeanwhile = () => new AppError(ErrorCode.CONFLICT, 'Hồ sơ vừa được người khác cập nhật; hãy tải lại và thử lại.');

const notFound = () => new AppError(ErrorCode.NOT_FOUND, 'Không tìm thấy hồ sơ.', { fieldErrors: [{ field: 'dossierId', message: 'Không tìm thấy hồ sơ' }] });

/** The procedure as this agency performs it, or a clear error when it does not. */
async function performedProcedure(ctx: ProvinceContext, procedureCode: string, agencyId: string) {
  const code = procedureCode.trim();
  if (!PROCEDURE_CODE.test(code)) {
    throw invalidInput([{ field: 'procedureCode', message: `Mã thủ tục "${procedureCode}" không đúng định dạng N.NNNNNN` }]);
  }
  const agency = await ctx.db.agency.findUnique({ where: tenantKey(ctx, agencyId) });
  if (!agency) throw new AppError(ErrorCode.NOT_FOUND, 'Không tìm thấy cơ quan.', { fieldErrors: [{ field: 'agencyId', message: 'Không tìm thấy cơ quan' }] });
  const performed = await ctx.db.provinceProcedure.findFirst({
    where: { agencyId: agency.id, enabled: true, procedure: { code } },
    include: { procedure: true },
  });
  if (!performed) {
    throw new AppError('PROCEDURE_NOT_PERFORMED', `${agency.name} không giải quyết thủ tục ${code}.`, {
      fieldErrors: [{ field: 'procedureCode', message: 'Cơ quan không giải quyết thủ tục này' }],
    });
  }
  return { agency, performed };
}

/** The next number of the agency's day, taken inside the transaction: a rollback gives it back. */
async function nextSequence(db: Db, tenantId: string, agencyId: string, day: string): Promise<number> {
  const [row] = await db.$queryRaw<{ last_value: number }[]>`
    INSERT INTO dossier_counter (tenant_id, agency_id, day, last_value)
    VALUES (${tenantId}::uuid, ${agencyId}::uuid, ${day}::date, 1)
    ON CONFLICT (tenant_id, agency_id, day) DO UPDATE SET last_value = dossier_counter.last_value + 1
    RETURNING last_value`;
  return row.last_value;
}

export interface Receipt {
  dossierId: string;
  code: string;
  /** Printed on the receipt; never stored, so shown only now. */
  secret: string;
}

async function intake(ctx: ProvinceContext, input: IntakeInput, mode: 'online' | 'counter'): Promise<Receipt> {
  const province = ctx.province;
  const papers = input.papers ?? [];
  const fields = parseIntake({ ...input, documentsProvided: [...input.documentsProvided, ...papers.map((paper) => paper.documentCode)] });
  const { agency, performed } = await performedProcedure(ctx, input.procedureCode, input.agencyId);
  const procedure = performed.procedure;
  const missing = missingDocuments(procedure.requiredDocuments as { code: string; name: string; required: boolean }[], fields.documentsProvided);
  if (missing.length) {
    throw new AppError('MISSING_DOCUMENTS', `Hồ sơ còn thiếu: ${missing.map((document) => document.name).join('; ')}.`, {
      fieldErrors: missing.map((document) => ({ field: 'documentsProvided', message: `Thiếu ${document.name}` })),
      missingDocuments: missing.map((document) => document.code),
    });
  }
  const channel = mode === 'online' ? 'ONLINE' : (input.channel ?? 'IN_PERSON');
  if (mode === 'counter' && channel === 'ONLINE') {
    throw invalidInput([{ field: 'channel', message: 'Hồ sơ trực tuyến do công dân nộp; tại quầy chọn Trực tiếp hoặc Bưu chính' }]);
  }
  const now = ctx.now;
  const sequence = await nextSequence(ctx.db, province.id, agency.id, vietnamDateOf(now));
  const code = formatDossierCode(agency.code, vietnamDateOf(now), sequence);
  const secret = newTrackingSecret();
  const received = mode === 'counter';
  const dueAt = received ? await computeDueAt(ctx, performed, channel, now) : null;
  const dossier = await ctx.db.dossier.create({
    data: {
      tenantId: province.id,
      code,
      secretHash: hashTrackingSecret(code, secret),
      procedureId: procedure.id,
      fieldCode: procedure.fieldCode,
      agencyId: agency.id,
      channel,
      status: received ? 'RECEIVED' : 'SUBMITTED',
      applicantName: fields.applicant.name,
      applicantType: fields.applicant.type,
      applicantIdNumber: fields.applicant.idNumber,
      applicantPhone: fields.applicant.phone,
      applicantEmail: fields.applicant.email,
      applicantAddress: fields.applicant.address,
      applicantAccount: ctx.caller.kind === 'citizen' ? ctx.caller.subject : null,
      representativeName: fields.representativeName,
      summary: fields.summary,
      documentsProvided: fields.documentsProvided,
      feeVnd: performed.feeVnd ?? nationalFee({ fees: procedure.fees as { name: string; amountVnd: number }[] }),
      // The dossier as received: supplements filed later do not change either.
      identityVerified: mode === 'online' ? ctx.caller.kind === 'citizen' && ctx.caller.verifiedByVneid : (input.identityVerified ?? false),
      digitisedComponents: papers.length,
      submittedAt: now,
      receivedAt: received ? now : null,
      dueAt,
    },
  });
  await recordMove(ctx, dossier.id, {
    action: received ? 'RECEIVE' : null,
    actor: received ? 'RECEIVING_CLERK' : 'APPLICANT',
    from: null,
    to: dossier.status,
    note: null,
    stepDueAt: dueAt,
    at: now,
    kind: 'CREATED',
  });
  await attachFiles(ctx, dossier.id, 'SUBMITTED', papers);
  return { dossierId: dossier.id, code, secret };
}

async function computeDueAt(ctx: ProvinceContext, performed: { feeVnd: number | null; processingAmount: number | null; onlineProcessingAmount: number | null; procedure: Parameters<typeof asNationalTerms>[0] }, channel: string, receivedAt: Date) {
  const time = effectiveProcessingTime(asNationalTerms(performed.procedure), performed, channel === 'ONLINE');
  const calendar = await calendarAround(ctx.db, ctx.province.id, receivedAt);
  return dueDate(calendar, receivedAt, time);
}

/** A citizen files online: the dossier waits (SUBMITTED) for a clerk to receive it. */
export function submitDossier(ctx: ProvinceContext, input: IntakeInput): Promise<Receipt> {
  if (ctx.caller.kind !== 'citizen') throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ công dân đăng nhập mới nộp hồ sơ trực tuyến.');
  return intake(ctx, input, 'online');
}

/** A clerk receives a dossier at the counter or by post: received at once, due date set. */
export async function receiveDossier(ctx: ProvinceContext, input: IntakeInput): Promise<Receipt> {
  const caller = ctx.caller;
  if (caller.kind !== 'official' || !caller.roles.includes('RECEIVING_CLERK')) {
    throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ cán bộ tiếp nhận mới nhận hồ sơ tại quầy.');
  }
  const agency = await callerAgency(ctx);
  if (!agency || (agency.id !== input.agencyId && agency.kind !== 'PUBLIC_SERVICE_UNIT')) {
    throw new AppError(ErrorCode.FORBIDDEN, 'Cán bộ chỉ tiếp nhận hồ sơ của cơ quan mình hoặc tại Trung tâm Phục vụ hành chính công.');
  }
  return intake(ctx, input, 'counter');
}

interface MoveRecord {
  action: DossierAction | 'ASSIGN' | 'EXTEND' | null;
  actor: Actor;
  from: DossierStatus | null;
  to: DossierStatus;
  note: string | null;
  stepDueAt: Date | null;
  at: Date;
  kind: 'CREATED' | 'CHANGED';
}


/** The log entry, the outbox record (status changes) and the event, in the caller's transaction. */
async function recordMove(ctx: ProvinceContext, dossierId: string, move: MoveRecord) {
  const province = ctx.province;
  const self = await currentOfficial(ctx);
  const name = self?.fullName ?? null;
  await ctx.db.dossierLogEntry.create({
    data: {
      tenantId: province.id,
      dossierId,
      action: move.action ?? 'SUBMIT',
      fromStatus: move.from,
      toStatus: move.to,
      actorRole: move.actor,
      actorId: self?.id ?? (ctx.caller.kind === 'official' || ctx.caller.kind === 'citizen' ? ctx.caller.subject : null),
      actorName: name,
      note: move.note,
      stepDueAt: move.stepDueAt,
      at: move.at,
    },
  });
  const dossier = await ctx.db.dossier.findUniqueOrThrow({
    where: tenantKey(ctx, dossierId),
    include: { procedure: true, agency: true, assignee: { select: { fullName: true } } },
  });
  if (move.from !== move.to || move.kind === 'CREATED') {
    await recordPortalChange(ctx.db, dossier, {
      action: move.action && move.action !== 'ASSIGN' && move.action !== 'EXTEND' ? move.action : null,
      actorName: name,
      at: move.at,
      stepDueAt: move.stepDueAt,
      note: move.note,
    });
  }
  await publishDossierEvent(ctx.db, {
    kind: move.kind,
    tenantId: province.id,
    dossierId,
    code: dossier.code,
    agencyId: dossier.agencyId,
    assigneeId: dossier.assigneeId,
    status: dossier.status,
  });
}

async function findDossier(ctx: ProvinceContext, dossierId: string) {
  const dossier = await ctx.db.dossier.findUnique({ where: tenantKey(ctx, dossierId), include: { procedure: true } });
  if (!dossier) throw notFound();
  return dossier;
}

/** The actors the caller may act as; a dossier they may not act on is "not found" to them. */
async function requireActors(ctx: ProvinceContext, dossier: { agencyId: string; assigneeId: string | null; applicantAccount: string | null }) {
  const actors = await actorsFor(ctx, dossier);
  if (!actors.length) throw notFound();
  return actors;
}

export interface MoveInput {
  dossierId: string;
  action: DossierAction;
  note?: string | null;
  stepDueAt?: Date | null;
  assigneeId?: string | null;
  /** With RESUME_AFTER_SUPPLEMENT: the papers asked for. */
  papers?: DossierPaper[];
  /** With FINISH: the result file. */
  resultFileId?: string | null;
  /** With CONFIRM_PAYMENT (required): how it was paid and the receipt number. */
  payment?: PaymentInput | null;
  /** With RETURN_RESULT (required): how the result went back to the applicant. */
  returnMethod?: ResultReturnMethod | null;
}

/** Files go with the moves that take them: supplements with resuming, the result with finishing. */
function filesOfMove(input: MoveInput): { role: DossierFileRole; files: { fileId: string; documentCode: string | null }[] } {
  const papers = input.papers ?? [];
  const errors: FieldError[] = [];
  if (papers.length && input.action !== 'RESUME_AFTER_SUPPLEMENT') errors.push({ field: 'papers', message: 'Chỉ nộp giấy tờ bổ sung khi tiếp tục sau yêu cầu bổ sung (RESUME_AFTER_SUPPLEMENT)' });
  if (input.resultFileId && input.action !== 'FINISH') errors.push({ field: 'resultFileId', message: 'Chỉ đính kèm kết quả khi hoàn thành hồ sơ (FINISH)' });
  if (errors.length) throw invalidInput(errors);
  if (input.resultFileId) return { role: 'RESULT', files: [{ fileId: input.resultFileId, documentCode: null }] };
  return { role: 'SUPPLEMENT', files: papers.map((paper) => ({ fileId: paper.fileId, documentCode: paper.documentCode })) };
}

/** The due-date arithmetic the move's clock effects need, from the procedure's terms and the calendar. */
async function dueDatesFor(ctx: ProvinceContext, dossier: Awaited<ReturnType<typeof findDossier>>, effects: readonly DossierEffect[], now: Date): Promise<DueDates> {
  const dueDates: DueDates = {};
  const clock = (name: ClockEffect) => effects.some((effect) => 'clock' in effect && effect.clock === name);
  if (clock('START')) {
    const performed = await ctx.db.provinceProcedure.findFirstOrThrow({ where: { agencyId: dossier.agencyId, procedureId: dossier.procedureId }, include: { procedure: true } });
    dueDates.receivedNow = await computeDueAt(ctx, performed, dossier.channel, now);
  }
  const pausedAt = dossier.pausedAt;
  if (clock('RESUME') && pausedAt) {
    const calendar = await calendarAround(ctx.db, ctx.province.id, pausedAt);
    dueDates.afterPause = (dueAt) => dueDateAfterPause(calendar, dueAt, dossier.procedure.processingUnit, pausedAt, now);
  }
  return dueDates;
}

/** Moves a dossier along the lifecycle table; a refused move names the moves the caller has. */
export async function moveDossier(ctx: ProvinceContext, input: MoveInput, query: DossierQuery = {}) {
  const now = ctx.now;
  const details = parseMoveDetails(input, now);
  const moved = filesOfMove(input);
  const records = parseMoveRecords(input);
  const dossier = await findDossier(ctx, input.dossierId);
  const actors = await requireActors(ctx, dossier);
  const plan = planMove(dossier.status, input.action, actors, [...(details.note ? (['note'] as const) : []), ...records.filled]);
  if (!plan.ok) throw refusedMove({ action: input.action, names: ACTION_NAME, thing: 'hồ sơ', status: dossier.status, plan, missingMessages: MISSING_FIELD_MESSAGE });
  const assigneeId = input.assigneeId ? await workingOfficialId(ctx, input.assigneeId) : undefined;
  const changes = moveChanges(plan.to, plan.effects, dossier, now, await dueDatesFor(ctx, dossier, plan.effects, now));
  // Only if nobody moved it meanwhile: two clerks acting at once must not both succeed.
  const updated = await ctx.db.dossier.updateMany({
    where: { id: dossier.id, status: dossier.status },
    data: { ...changes, ...records.columns, ...(assigneeId ? { assigneeId } : {}) },
  });
  if (updated.count === 0) throw movedMeanwhile();
  await attachFiles(ctx, dossier.id, moved.role, moved.files);
  await recordMove(ctx, dossier.id, { action: input.action, actor: plan.actor, from: dossier.status, to: plan.to, ...details, at: now, kind: 'CHANGED' });
  return ctx.db.dossier.findUniqueOrThrow({ ...query, where: tenantKey(ctx, dossier.id) });
}

async function workingOfficialId(ctx: ProvinceContext, officialId: string) {
  const official = await ctx.db.official.findUnique({ where: tenantKey(ctx, officialId), select: { id: true, status: true } });
  if (!official || official.status !== 'WORKING') {
    throw new AppError(ErrorCode.NOT_FOUND, 'Không tìm thấy cán bộ đang công tác để giao xử lý.', { fieldErrors: [{ field: 'assigneeId', message: 'Không tìm thấy cán bộ' }] });
  }
  return official.id;
}

/** Gives the dossier to a handler (leaders and clerks); logged, not a status change. */
export async function assignDossier(ctx: ProvinceContext, dossierId: string, officialId: string, query: DossierQuery = {}) {
  const dossier = await findDossier(ctx, dossierId);
  const actors = await requireActors(ctx, dossier);
  if (!actors.some((actor) => actor === 'LEADER' || actor === 'RECEIVING_CLERK')) {
    throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ lãnh đạo hoặc cán bộ tiếp nhận mới giao xử lý hồ sơ.');
  }
  if (!isOpen(dossier.status)) throw new AppError(ErrorCode.CONFLICT, 'Hồ sơ đã kết thúc; không giao xử lý được nữa.');
  const assigneeId = await workingOfficialId(ctx, officialId);
  // Only if nobody moved it meanwhile: an assignment racing a move must not log a status it no longer has.
  const updated = await ctx.db.dossier.updateMany({ where: { id: dossier.id, status: dossier.status }, data: { assigneeId } });
  if (updated.count === 0) throw movedMeanwhile();
  const actor = actors.includes('LEADER') ? 'LEADER' : 'RECEIVING_CLERK';
  await recordMove(ctx, dossier.id, { action: 'ASSIGN', actor, from: dossier.status, to: dossier.status, note: null, stepDueAt: null, at: ctx.now, kind: 'CHANGED' });
  return ctx.db.dossier.findUniqueOrThrow({ ...query, where: tenantKey(ctx, dossier.id) });
}

export interface ExtensionInput {
  dossierId: string;
  newDueAt: Date;
  /** Number and symbol of the apology-and-extension letter, e.g. 125/TB-STP. */
  apologyLetter: string;
  reason: string;
}

/** A late dossier gets an apology letter and a new due date; the original stays for the on-time rule. */
export async function extendDossier(ctx: ProvinceContext, input: ExtensionInput, query: DossierQuery = {}) {
  const now = ctx.now;
  const errors = [];
  if (!/^\d{1,5}\/[\p{Lu}Đ0-9-]{2,30}$/u.test(input.apologyLetter.trim())) {
    errors.push({ field: 'apologyLetter', message: 'Số, ký hiệu văn bản xin lỗi phải có dạng 125/TB-STP' });
  }
  if (input.reason.trim().length < 5) errors.push({ field: 'reason', message: 'Cần ghi rõ lý do gia hạn' });
  if (input.newDueAt <= now) errors.push({ field: 'newDueAt', message: 'Hạn mới phải ở tương lai' });
  if (errors.length) throw invalidInput(errors);
  const dossier = await findDossier(ctx, input.dossierId);
  const actors = await requireActors(ctx, dossier);
  if (!actors.includes('LEADER')) throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ lãnh đạo cơ quan mới gia hạn hồ sơ.');
  if (!isOpen(dossier.status) || !dossier.dueAt) throw new AppError(ErrorCode.CONFLICT, 'Chỉ gia hạn được hồ sơ đang giải quyết.');
  if (input.newDueAt <= dossier.dueAt) throw invalidInput([{ field: 'newDueAt', message: 'Hạn mới phải sau hạn hiện tại' }]);
  // Only from what was read: a dossier that ended meanwhile, or another extension, is not extended again.
  const updated = await ctx.db.dossier.updateMany({
    where: { id: dossier.id, status: dossier.status, dueAt: dossier.dueAt },
    data: { dueAt: input.newDueAt, dueAtBeforeExtension: dossier.dueAtBeforeExtension ?? dossier.dueAt, extensionLetter: input.apologyLetter.trim() },
  });
  if (updated.count === 0) throw movedMeanwhile();
  await recordMove(ctx, dossier.id, {
    action: 'EXTEND',
    actor: 'LEADER',
    from: dossier.status,
    to: dossier.status,
    note: `${input.apologyLetter.trim()}: ${input.reason.trim()}`,
    stepDueAt: input.newDueAt,
    at: now,
    kind: 'CHANGED',
  });
  return ctx.db.dossier.findUniqueOrThrow({ ...query, where: tenantKey(ctx, dossier.id) });
}

// ---------------------------------------------------------------- the applicant's rating

export interface Rating {
  code: string;
  rating: number;
  comment: string | null;
  ratedAt: Date;
}

export interface RatingInput {
  rating: number;
  comment?: string | null;
}

/**
 * Writes the rating once, on a returned dossier: the condition is in the UPDATE, so of two ratings
 * at once exactly one finds the dossier unrated; the other is told it is rated already.
 */
async function recordRating(ctx: ProvinceContext, dossier: { id: string; code: string; status: DossierStatus }, fields: { rating: number; comment: string | null }): Promise<Rating> {
  if (dossier.status !== 'RETURNED') throw new AppError('NOT_RETURNED_YET', 'Chỉ đánh giá được sau khi đã nhận kết quả giải quyết hồ sơ.');
  const ratedAt = ctx.now;
  const updated = await ctx.db.dossier.updateMany({
    where: { id: dossier.id, status: 'RETURNED', ratedAt: null },
    data: { rating: fields.rating, ratingComment: fields.comment, ratedAt },
  });
  if (updated.count === 0) throw new AppError('ALREADY_RATED', 'Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần.');
  return { code: dossier.code, rating: fields.rating, comment: fields.comment, ratedAt };
}

/**
 * The applicant holding the receipt rates the service: the code and the secret are checked as public
 * tracking checks them (a wrong pair answers as an unknown code, and counts towards the same limits).
 */
export async function rateDossier(ctx: ProvinceContext, input: RatingInput & { code: string; secret: string }): Promise<Rating> {
  const fields = parseRating(input);
  const tracked = await trackDossier(ctx, input.code, input.secret);
  if (!tracked) throw notTracked();
  return recordRating(ctx, { id: tracked.dossierId, code: tracked.code, status: tracked.status }, fields);
}

/** The citizen account that filed the dossier online rates it by its id. */
export async function rateOwnDossier(ctx: ProvinceContext, input: RatingInput & { dossierId: string }): Promise<Rating> {
  const fields = parseRating(input);
  const dossier = await ctx.db.dossier.findUnique({ where: tenantKey(ctx, input.dossierId), select: { id: true, code: true, status: true, applicantAccount: true } });
  if (!dossier || ctx.caller.kind !== 'citizen' || dossier.applicantAccount !== ctx.caller.subject) throw notFound();
  return recordRating(ctx, dossier, fields);
}
