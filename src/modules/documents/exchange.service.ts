// Document exchange (liên thông văn bản): an issued document sent to agencies of this province or
// of another, one envelope per recipient. The envelope is the one row both provinces see (row-level
// security: exactly its sender and its recipient); the recipient receives it into its incoming
// register or refuses it, its handling is reported back on the envelope, and the sender may recall
// it. Looking up a recipient agency in another province is the one crossing of scope here
// (withinProvince), and row-level security checks it as every other statement.
import crypto from 'node:crypto';
import type { Context, ProvinceContext } from '../../context/context';
import { callerAgency } from '../../context/current-official';
import { withinProvince } from '../../db/tenant-scope';
import { AppError, ErrorCode, invalidInput, type FieldError } from '../../errors';
import type { Prisma } from '../../generated/prisma/client';
import { tenantKey } from '../../kernel/tenant-key';
import { ENVELOPE_ACTION_NAME, UPDATE_ACTION_NAME, envelopeLifecycle, updateLifecycle, type EnvelopeAction, type EnvelopeActor, type UpdateAction } from './document-lifecycle';
import { canSeeOutgoing, documentNotFound, enterInRegister, keepsRegisters, logMove, outgoingActors, refused } from './document.service';
import { hasRole } from '../../context/caller';
import { scheduleDelivery } from './exchange-outbox';
import { publishEnvelopeEvent } from './document-events';

/** What an envelope's event carries. */
export const EVENT_COLUMNS = { id: true, senderTenantId: true, senderAgencyId: true, recipientTenantId: true, recipientAgencyId: true, status: true } as const;

type EnvelopeQuery = { select?: Prisma.DocumentEnvelopeSelect; include?: Prisma.DocumentEnvelopeInclude };

export interface RecipientInput {
  /** The recipient's province: slug, GSO code or id (this province's when unset). */
  province?: string | null;
  /** Its electronic identifier code (mã định danh điện tử), e.g. 000.00.03.H17. */
  agencyCode?: string | null;
  /** A recipient outside the platform: its code on the national exchange (e.g. 000.00.00.G09) and its name. */
  externalCode?: string | null;
  externalName?: string | null;
}

const EXCHANGE_CODE = /^[0-9A-Z][0-9A-Z.]{2,39}$/;

const envelopeNotFound = () => new AppError(ErrorCode.NOT_FOUND, 'Không tìm thấy văn bản liên thông, hoặc bạn không có quyền xem.');

/** A document clerk of the issuer sends an issued document to each recipient: one envelope each, WAITING. */
export async function sendDocument(ctx: ProvinceContext, input: { documentId: string; recipients: RecipientInput[] }, query: EnvelopeQuery = {}) {
  const document = await ctx.db.officialDocument.findUnique({ where: tenantKey(ctx, input.documentId), include: { issuer: { select: { name: true } } } });
  if (!document || !(await canSeeOutgoing(ctx, document))) throw documentNotFound();
  if (!(await outgoingActors(ctx, document)).includes('CLERK')) throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ văn thư của cơ quan ban hành mới gửi văn bản liên thông.');
  if (document.status !== 'ISSUED') throw new AppError('TRANSITION_NOT_ALLOWED', 'Chỉ gửi liên thông văn bản đã phát hành.', { allowedActions: [], status: document.status });
  if (!input.recipients.length || input.recipients.length > 100) throw invalidInput([{ field: 'recipients', message: 'Cần từ 1 đến 100 nơi nhận' }]);
  const errors: FieldError[] = [];
  const found: { tenantId: string; agency: { id: string; name: string } }[] = [];
  const outside: { code: string; name: string }[] = [];
  for (const [index, recipient] of input.recipients.entries()) {
    const at = (field: string) => `recipients.${index}.${field}`;
    // LƯU HÀNH NỘI BỘ: for the province's own agencies only.
    const internalOnly = document.circulation === 'NOI_BO' ? 'Văn bản lưu hành nội bộ chỉ gửi cơ quan trong tỉnh/thành phố' : null;
    if (recipient.externalCode) {
      if (internalOnly) {
        errors.push({ field: at('externalCode'), message: internalOnly });
        continue;
      }
      const code = recipient.externalCode.trim();
      const name = recipient.externalName?.trim() ?? '';
      if (recipient.agencyCode || recipient.province) errors.push({ field: at('externalCode'), message: 'Nơi nhận ngoài nền tảng không kèm tỉnh hay mã cơ quan trên nền tảng' });
      else if (!EXCHANGE_CODE.test(code)) errors.push({ field: at('externalCode'), message: 'Mã định danh trên trục liên thông không hợp lệ (ví dụ 000.00.00.G09)' });
      else if (name.length < 2 || name.length > 300) errors.push({ field: at('externalName'), message: 'Cần tên cơ quan nhận (2–300 ký tự)' });
      else outside.push({ code, name });
      continue;
    }
    const code = recipient.agencyCode?.trim() ?? '';
    if (!code) {
      errors.push({ field: at('agencyCode'), message: 'Cần mã cơ quan nhận, hoặc mã trên trục liên thông cho nơi nhận ngoài nền tảng' });
      continue;
    }
    const province = recipient.province ? await ctx.platform.provinces.find(recipient.province) : ctx.province;
    const lookUp = () => ctx.db.agency.findFirst({ where: { tenantId: province!.id, code }, select: { id: true, name: true } });
    const agency = !province ? null : province.id === ctx.province.id ? await lookUp() : await withinProvince(ctx.db, province.id, ctx.province.id, lookUp);
    if (!province) errors.push({ field: at('province'), message: 'Không tìm thấy tỉnh/thành phố nhận' });
    else if (internalOnly && province.id !== ctx.province.id) errors.push({ field: at('province'), message: internalOnly });
    else if (!agency) errors.push({ field: at('agencyCode'), message: `Không tìm thấy cơ quan có mã ${code}` });
    else found.push({ tenantId: province.id, agency });
  }
  const keys = [...found.map((r) => `${r.tenantId}:${r.agency.id}`), ...outside.map((r) => r.code)];
  if (new Set(keys).size !== keys.length) errors.push({ field: 'recipients', message: 'Một nơi nhận được ghi hai lần' });
  if (errors.length) throw invalidInput(errors);
  const already = await ctx.db.documentEnvelope.findMany({
    where: {
      documentId: document.id,
      OR: [...found.map((r) => ({ recipientTenantId: r.tenantId, recipientAgencyId: r.agency.id })), ...outside.map((r) => ({ externalRecipientCode: r.code }))],
    },
    select: { recipientAgencyName: true },
  });
  if (already.length) throw new AppError(ErrorCode.CONFLICT, `Văn bản đã được gửi tới: ${already.map((envelope) => envelope.recipientAgencyName).join('; ')}.`);
  const copied = {
    senderTenantId: ctx.province.id,
    documentId: document.id,
    senderAgencyId: document.issuerId,
    senderAgencyName: document.issuer.name,
    symbol: document.symbol!,
    type: document.type,
    issuedOn: document.issuedOn!,
    summary: document.summary,
    urgency: document.urgency,
    confidentiality: document.confidentiality,
    fileId: document.fileId,
    sentAt: ctx.now,
    changedAt: ctx.now,
  };
  await ctx.db.documentEnvelope.createMany({
    data: found.map((recipient) => ({ ...copied, recipientTenantId: recipient.tenantId, recipientAgencyId: recipient.agency.id, recipientAgencyName: recipient.agency.name })),
  });
  // Outside the platform: the outbox, each delivery a job written with the send.
  for (const recipient of outside) {
    const id = crypto.randomUUID();
    const envelope = await ctx.db.documentEnvelope.create({
      data: { ...copied, id, externalRecipientCode: recipient.code, recipientAgencyName: recipient.name, deliveryState: 'PENDING', nextAttemptAt: ctx.now, outbound: 'ENVELOPE', messageKey: id },
      select: { id: true },
    });
    await scheduleDelivery(ctx.db, { tenantId: ctx.province.id, envelopeId: envelope.id });
  }
  const names = [...found.map((recipient) => recipient.agency.name), ...outside.map((recipient) => recipient.name)];
  await logMove(ctx, { documentId: document.id }, 'SEND', 'ISSUED', 'ISSUED', names.join('; '));
  const sent = await ctx.db.documentEnvelope.findMany({ where: { senderTenantId: ctx.province.id, documentId: document.id, sentAt: ctx.now }, select: EVENT_COLUMNS });
  for (const envelope of sent) await publishEnvelopeEvent(ctx.db, 'SENT', envelope);
  return ctx.db.documentEnvelope.findMany({ ...query, where: { senderTenantId: ctx.province.id, documentId: document.id }, orderBy: [{ sentAt: 'asc' }, { id: 'asc' }] });
}

/** The sides the caller acts on: the sender's issuer (its clerk or leader), the recipient agency (its clerk). */
async function envelopeActors(ctx: Context, envelope: { senderTenantId: string; senderAgencyId: string; recipientTenantId: string | null; recipientAgencyId: string | null }): Promise<EnvelopeActor[]> {
  if (ctx.caller.kind !== 'official' || !ctx.province) return [];
  const agency = await callerAgency(ctx);
  const actors: EnvelopeActor[] = [];
  if (envelope.recipientTenantId === ctx.province.id && agency?.id === envelope.recipientAgencyId && hasRole(ctx.caller, 'DOCUMENT_CLERK')) actors.push('RECIPIENT');
  if (envelope.senderTenantId === ctx.province.id && envelope.senderAgencyId === agency?.id && keepsRegisters(ctx)) actors.push('SENDER');
  return actors;
}

/** Officials of the recipient agency see what was sent to it; the sender's issuer sees what it sent. */
export async function canSeeEnvelope(ctx: Context, envelope: { senderTenantId: string; senderAgencyId: string; recipientTenantId: string | null; recipientAgencyId: string | null }): Promise<boolean> {
  if (ctx.caller.kind !== 'official' || !ctx.province) return false;
  const agency = await callerAgency(ctx);
  if (envelope.recipientTenantId === ctx.province.id && agency?.id === envelope.recipientAgencyId) return true;
  return envelope.senderTenantId === ctx.province.id && envelope.senderAgencyId === agency?.id;
}

export interface EnvelopeMoveInput {
  envelopeId: string;
  action: Extract<EnvelopeAction, 'RECEIVE' | 'REFUSE' | 'RECALL'> | UpdateAction;
  note?: string | null;
}

/** The next message the outbox sends about an envelope outside the platform, from its first attempt. */
const outboundMessage = (outbound: 'RECALL' | 'UPDATE', messageKey: string, now: Date) =>
  ({ outbound, messageKey, deliveryState: 'PENDING', attempts: 0, lastError: null, nextAttemptAt: now }) as const;

const isUpdateAction = (action: EnvelopeMoveInput['action']): action is UpdateAction => action.endsWith('_UPDATE');

/** An update sent, accepted or refused: its own table; the envelope's status does not move. */
async function moveUpdate(ctx: ProvinceContext, envelope: Prisma.DocumentEnvelopeGetPayload<object>, action: UpdateAction, note: string | null) {
  const outside = !envelope.recipientTenantId;
  if (action === 'SEND_UPDATE' && outside && envelope.deliveryState !== 'DELIVERED') {
    throw new AppError('TRANSITION_NOT_ALLOWED', 'Văn bản chưa được trục liên thông nhận, hoặc một thông điệp khác đang chờ gửi; hãy thử lại sau.', { allowedActions: [], status: envelope.status });
  }
  if (action === 'SEND_UPDATE' && (envelope.status === 'REFUSED' || envelope.status === 'RECALLED')) {
    throw new AppError('TRANSITION_NOT_ALLOWED', 'Không gửi cập nhật cho văn bản đã bị từ chối hoặc đã thu hồi.', { allowedActions: [], status: envelope.status });
  }
  const state = envelope.updateState ?? 'NONE';
  const plan = updateLifecycle.plan(state, action, await envelopeActors(ctx, envelope), note ? ['note'] : []);
  if (!plan.ok) throw refused(action, UPDATE_ACTION_NAME, state, plan);
  const data: Prisma.DocumentEnvelopeUpdateManyMutationInput = { updateState: plan.to as 'SENT' | 'ACCEPTED' | 'REFUSED', changedAt: ctx.now };
  if (action === 'SEND_UPDATE') data.updateNote = note!.slice(0, 2000);
  // Outside the platform the update goes through the exchange; its answer comes back at /exchange/status.
  if (action === 'SEND_UPDATE' && outside) Object.assign(data, outboundMessage('UPDATE', `${envelope.id}:update:${ctx.now.getTime()}`, ctx.now));
  const updated = await ctx.db.documentEnvelope.updateMany({ where: { id: envelope.id, updateState: envelope.updateState }, data });
  if (updated.count === 0) throw new AppError(ErrorCode.CONFLICT, 'Văn bản liên thông vừa được cập nhật; hãy tải lại và thử lại.');
  if (action === 'SEND_UPDATE' && outside) await scheduleDelivery(ctx.db, { tenantId: ctx.province.id, envelopeId: envelope.id });
  await publishEnvelopeEvent(ctx.db, action === 'SEND_UPDATE' ? 'UPDATED' : 'CHANGED', envelope);
  // Each side keeps the step in its own log: the sender on the document, the recipient on its register entry.
  if (action === 'SEND_UPDATE') await logMove(ctx, { documentId: envelope.documentId }, action, 'ISSUED', 'ISSUED', `${envelope.recipientAgencyName}: ${note}`);
  else {
    const entry = await ctx.db.incomingDocument.findFirst({ where: { tenantId: ctx.province.id, envelopeId: envelope.id }, select: { id: true, status: true } });
    if (entry) await logMove(ctx, { incomingId: entry.id }, action, entry.status, entry.status, note);
  }
}

/** Receive (into the incoming register), refuse, or recall an envelope. */
export async function moveEnvelope(ctx: ProvinceContext, input: EnvelopeMoveInput, query: EnvelopeQuery = {}) {
  const envelope = await ctx.db.documentEnvelope.findUnique({ where: { id: input.envelopeId } });
  if (!envelope || !(await canSeeEnvelope(ctx, envelope))) throw envelopeNotFound();
  const note = input.note?.trim() || null;
  if (isUpdateAction(input.action)) {
    await moveUpdate(ctx, envelope, input.action, note);
    return ctx.db.documentEnvelope.findUniqueOrThrow({ ...query, where: { id: envelope.id } });
  }
  const action = input.action;
  const plan = envelopeLifecycle.plan(envelope.status, action, await envelopeActors(ctx, envelope), note ? ['note'] : []);
  if (!plan.ok) throw refused(action, ENVELOPE_ACTION_NAME, envelope.status, plan);
  const changes: Prisma.DocumentEnvelopeUpdateManyMutationInput = { status: plan.to, changedAt: ctx.now };
  if (input.action === 'REFUSE') changes.refusalReason = note!.slice(0, 2000);
  // Outside the platform, an envelope that went is recalled at the exchange too (one not yet sent just stays).
  const recallOutside = input.action === 'RECALL' && !envelope.recipientTenantId && envelope.deliveryState === 'DELIVERED';
  if (recallOutside) Object.assign(changes, outboundMessage('RECALL', `${envelope.id}:recall`, ctx.now));
  const updated = await ctx.db.documentEnvelope.updateMany({ where: { id: envelope.id, status: envelope.status }, data: changes });
  if (updated.count === 0) throw new AppError(ErrorCode.CONFLICT, 'Văn bản liên thông vừa được cập nhật; hãy tải lại và thử lại.');
  if (input.action === 'RECEIVE') {
    const { symbol, type, issuedOn, summary, urgency, confidentiality, senderAgencyName } = envelope;
    await enterInRegister(ctx, envelope.recipientAgencyId!, { symbol, type, issuedOn, summary, urgency, confidentiality, issuerName: senderAgencyName }, envelope.id);
  }
  if (recallOutside) await scheduleDelivery(ctx.db, { tenantId: ctx.province.id, envelopeId: envelope.id });
  await publishEnvelopeEvent(ctx.db, 'CHANGED', { ...envelope, status: plan.to });
  if (input.action === 'RECALL') await logMove(ctx, { documentId: envelope.documentId }, 'RECALL', 'ISSUED', 'ISSUED', `${envelope.recipientAgencyName}: ${note}`);
  return ctx.db.documentEnvelope.findUniqueOrThrow({ ...query, where: { id: envelope.id } });
}

/** A register entry's move, reported on the envelope it came in (in the recipient's transaction). */
export async function reportToSender(ctx: ProvinceContext, envelopeId: string, action: EnvelopeAction): Promise<void> {
  const envelope = await ctx.db.documentEnvelope.findUnique({ where: { id: envelopeId }, select: EVENT_COLUMNS });
  if (!envelope) return;
  const plan = envelopeLifecycle.plan(envelope.status, action, ['RECIPIENT']);
  // A recalled envelope keeps saying so: the recipient's handling goes on in its own register.
  if (!plan.ok) return;
  const updated = await ctx.db.documentEnvelope.updateMany({ where: { id: envelopeId, status: envelope.status }, data: { status: plan.to, changedAt: ctx.now } });
  if (updated.count) await publishEnvelopeEvent(ctx.db, 'CHANGED', { ...envelope, status: plan.to });
}

/** What was sent to the caller's agency, newest first (`status` to filter: WAITING is the inbox). */
export async function exchangeInbox(ctx: ProvinceContext, status: string | null, query: EnvelopeQuery = {}) {
  const agency = await callerAgency(ctx);
  if (!agency) return [];
  return ctx.db.documentEnvelope.findMany({
    ...query,
    where: { recipientTenantId: ctx.province.id, recipientAgencyId: agency.id, ...(status ? { status: status as never } : {}) },
    orderBy: [{ sentAt: 'desc' }, { id: 'desc' }],
  });
}
