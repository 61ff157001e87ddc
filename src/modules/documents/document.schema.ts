// Official documents in the API: drafting and the outgoing lifecycle to issue, the registers, the
// incoming register's handling. Thin: rules in document.service.ts and document-lifecycle.ts.
import { builder } from '../../schema/builder';
import type { ProvinceContext } from '../../context/context';
import { callerAgency } from '../../context/current-official';
import { pageSize } from '../../kernel/field-limits';
import { tenantKey, requireProvince } from '../../kernel/tenant-key';
import { vietnamToday } from '../../kernel/vietnam-time';
import { AgencyRef } from '../directory/agency.schema';
import { FileRef } from '../files/file.schema';
import { DOCUMENT_TYPES, SIGNER_AUTHORITIES } from './document-symbol';
import { INCOMING_ACTIONS, OUTGOING_ACTIONS } from './document-lifecycle';
import * as documents from './document.service';
import * as exchange from './exchange.service';
import { searchDocuments } from './document-search';

const DocumentTypeEnum = builder.enumType('DocumentType', {
  description: 'Types of Decree 30/2020/NĐ-CP; the abbreviation goes in the symbol (a dispatch, CONG_VAN, has none).',
  values: Object.fromEntries(
    Object.entries(DOCUMENT_TYPES).map(([key, type]) => [key, { description: type.abbreviation ? `${type.name} (${type.abbreviation})` : `${type.name} (không có chữ viết tắt)` }]),
  ) as Record<keyof typeof DOCUMENT_TYPES, { description: string }>,
});

const UrgencyEnum = builder.enumType('DocumentUrgency', {
  values: { NORMAL: { description: 'Thường' }, KHAN: { description: 'Khẩn' }, THUONG_KHAN: { description: 'Thượng khẩn' }, HOA_TOC: { description: 'Hỏa tốc' } } as const,
});
const ConfidentialityEnum = builder.enumType('DocumentConfidentiality', {
  description: 'Above NORMAL, only those granted see the document.',
  values: { NORMAL: { description: 'Thường' }, MAT: { description: 'Mật' }, TOI_MAT: { description: 'Tối mật' }, TUYET_MAT: { description: 'Tuyệt mật' } } as const,
});
const CirculationEnum = builder.enumType('DocumentCirculation', {
  description: 'Chỉ dẫn về phạm vi lưu hành, printed on the document.',
  values: {
    UNRESTRICTED: { description: 'No instruction.' },
    NOI_BO: { description: 'LƯU HÀNH NỘI BỘ: sent to agencies of its own province only.' },
    XEM_XONG_TRA_LAI: { description: 'XEM XONG TRẢ LẠI.' },
    TRA_LAI_SAU_KHI_HOP: { description: 'TRẢ LẠI SAU KHI HỌP (HỘI NGHỊ).' },
  } as const,
});
const OutgoingStatusEnum = builder.enumType('OutgoingDocumentStatus', { values: ['DRAFT', 'IN_REVIEW', 'APPROVED', 'SIGNED', 'ISSUED', 'CANCELLED'] as const });
const IncomingStatusEnum = builder.enumType('IncomingDocumentStatus', { values: ['WAITING', 'REFUSED', 'RECEIVED', 'ASSIGNED', 'IN_PROGRESS', 'DONE'] as const });
const OutgoingActionEnum = builder.enumType('OutgoingDocumentAction', { values: OUTGOING_ACTIONS });
const IncomingActionEnum = builder.enumType('IncomingDocumentAction', { values: INCOMING_ACTIONS });
const SignerAuthorityEnum = builder.enumType('SignerAuthority', {
  description: 'Printed before the signer\'s position: TM. (on behalf of), KT. (deputy), TL. (by order), TUQ. (by authorisation), Q. (acting).',
  values: Object.keys(SIGNER_AUTHORITIES) as (keyof typeof SIGNER_AUTHORITIES)[],
});

const DocumentLogEntryRef = builder.prismaObject('DocumentLogEntry', {
  fields: (t) => ({
    action: t.exposeString('action'),
    fromStatus: t.exposeString('fromStatus', { nullable: true }),
    toStatus: t.exposeString('toStatus'),
    actorName: t.exposeString('actorName', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const EnvelopeStatusEnum = builder.enumType('EnvelopeStatus', {
  description: "The national exchange's statuses of one recipient, as its sender sees them.",
  values: ['WAITING', 'REFUSED', 'RECEIVED', 'ASSIGNED', 'IN_PROGRESS', 'DONE', 'RECALLED'] as const,
});
const EnvelopeActionEnum = builder.enumType('EnvelopeAction', {
  values: {
    RECEIVE: { description: 'The recipient\'s clerk: into the incoming register.' },
    REFUSE: { description: 'The recipient\'s clerk, with the reason.' },
    RECALL: { description: 'The sender, with the reason; not once done.' },
    SEND_UPDATE: { description: 'The sender: an update to what it sent, what changed in the note.' },
    ACCEPT_UPDATE: { description: 'The recipient\'s clerk accepts the update.' },
    REFUSE_UPDATE: { description: 'The recipient\'s clerk refuses the update, with the reason.' },
  } as const,
});

const EnvelopeUpdateStateEnum = builder.enumType('EnvelopeUpdateState', { values: ['SENT', 'ACCEPTED', 'REFUSED'] as const });

const DeliveryStateEnum = builder.enumType('DeliveryState', {
  values: { PENDING: { description: 'Waiting to be sent, or to be sent again.' }, DELIVERED: { description: 'The national exchange took it.' }, FAILED: { description: 'Out of attempts: an operator looks at it.' } } as const,
});

export const DocumentEnvelopeRef = builder.prismaNode('DocumentEnvelope', {
  description: 'An issued document sent to one agency (liên thông văn bản): seen by exactly its sender and its recipient.',
  nullable: true,
  select: { id: true, senderTenantId: true, senderAgencyId: true, recipientTenantId: true, recipientAgencyId: true },
  id: { resolve: (envelope) => envelope.id },
  findUnique: (id) => ({ id }),
  authScopes: (envelope, ctx) => exchange.canSeeEnvelope(ctx, envelope),
  fields: (t) => ({
    status: t.expose('status', { type: EnvelopeStatusEnum }),
    symbol: t.exposeString('symbol'),
    type: t.expose('type', { type: DocumentTypeEnum }),
    issuedOn: t.expose('issuedOn', { type: 'Date' }),
    summary: t.exposeString('summary'),
    urgency: t.expose('urgency', { type: UrgencyEnum }),
    confidentiality: t.expose('confidentiality', { type: ConfidentialityEnum }),
    senderAgencyName: t.exposeString('senderAgencyName'),
    recipientAgencyName: t.exposeString('recipientAgencyName'),
    recipientProvince: t.string({ nullable: true, description: 'Null for a recipient outside the platform.', select: { recipientTenant: { select: { name: true } } }, resolve: (envelope) => envelope.recipientTenant?.name ?? null }),
    externalRecipientCode: t.exposeString('externalRecipientCode', { nullable: true, description: 'A recipient outside the platform: its code on the national exchange.' }),
    deliveryState: t.expose('deliveryState', { type: DeliveryStateEnum, nullable: true, description: 'Outside the platform: its delivery through the national exchange.' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    refusalReason: t.exposeString('refusalReason', { nullable: true }),
    updateState: t.expose('updateState', { type: EnvelopeUpdateStateEnum, nullable: true, description: 'The last update the sender sent: unanswered (SENT), or the recipient\'s answer.' }),
    updateNote: t.exposeString('updateNote', { nullable: true, description: 'What the last update changes.' }),
    sentAt: t.expose('sentAt', { type: 'DateTime' }),
    changedAt: t.expose('changedAt', { type: 'DateTime', description: 'When its status last changed.' }),
    // Through the relation: row-level security lets the recipient's province read the file the envelope carries.
    file: t.relation('file', { type: FileRef, nullable: true }),
  }),
});

const VISIBILITY = { issuerId: true, draftedById: true, signerId: true, status: true, confidentiality: true } as const;

export const OfficialDocumentRef = builder.prismaNode('OfficialDocument', {
  description: 'An outgoing official document (văn bản đi), from draft to issue.',
  nullable: true,
  select: { id: true, ...VISIBILITY },
  id: { resolve: (document) => document.id },
  findUnique: (id, ctx) => tenantKey(ctx, id),
  authScopes: (document, ctx) => documents.canSeeOutgoing(ctx, document),
  fields: (t) => ({
    type: t.expose('type', { type: DocumentTypeEnum }),
    normative: t.exposeBoolean('normative', { description: 'A legal normative document: numbered in its own series.' }),
    draftingUnit: t.exposeString('draftingUnit', { nullable: true }),
    summary: t.exposeString('summary', { description: 'Trích yếu.' }),
    status: t.expose('status', { type: OutgoingStatusEnum }),
    urgency: t.expose('urgency', { type: UrgencyEnum }),
    confidentiality: t.expose('confidentiality', { type: ConfidentialityEnum }),
    circulation: t.expose('circulation', { type: CirculationEnum }),
    recipientsText: t.exposeString('recipientsText', { description: 'Nơi nhận, as printed.' }),
    issuer: t.relation('issuer', { type: AgencyRef }),
    draftedByName: t.exposeString('draftedByName'),
    signerName: t.exposeString('signerName', { nullable: true }),
    signerAuthority: t.field({ type: SignerAuthorityEnum, nullable: true, select: { signerAuthority: true }, resolve: (document) => document.signerAuthority as keyof typeof SIGNER_AUTHORITIES | null }),
    signerPosition: t.exposeString('signerPosition', { nullable: true }),
    number: t.exposeInt('number', { nullable: true, description: 'Given at issue: the next of the issuer\'s series this year.' }),
    symbol: t.exposeString('symbol', { nullable: true, description: 'Số, ký hiệu: 78/KH-UBND, 12/UBND-VX.' }),
    issuedOn: t.expose('issuedOn', { type: 'Date', nullable: true }),
    place: t.exposeString('place', { nullable: true }),
    file: t.relation('file', { type: FileRef, nullable: true, description: 'The draft, then the signed file.' }),
    allowedActions: t.field({
      type: [OutgoingActionEnum],
      select: { issuerId: true, draftedById: true, status: true },
      resolve: (document, _args, ctx) => documents.allowedOutgoingActions(ctx, document),
    }),
    log: t.relation('log', { type: DocumentLogEntryRef, query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } }),
    envelopes: t.relation('envelopes', { type: DocumentEnvelopeRef, description: 'Where it was sent, each recipient with its status.', query: { orderBy: [{ sentAt: 'asc' }, { id: 'asc' }] } }),
  }),
});

export const IncomingDocumentRef = builder.prismaNode('IncomingDocument', {
  description: 'An entry of an agency\'s incoming register (sổ văn bản đến).',
  nullable: true,
  select: { id: true, agencyId: true, assigneeId: true, confidentiality: true },
  id: { resolve: (incoming) => incoming.id },
  findUnique: (id, ctx) => tenantKey(ctx, id),
  authScopes: (incoming, ctx) => documents.canSeeIncoming(ctx, incoming),
  fields: (t) => ({
    incomingNumber: t.exposeInt('incomingNumber', { nullable: true, description: 'Số đến: from 1 each year per agency.' }),
    year: t.exposeInt('year', { nullable: true }),
    status: t.expose('status', { type: IncomingStatusEnum }),
    symbol: t.exposeString('symbol'),
    type: t.expose('type', { type: DocumentTypeEnum }),
    issuerName: t.exposeString('issuerName'),
    issuedOn: t.expose('issuedOn', { type: 'Date' }),
    summary: t.exposeString('summary'),
    urgency: t.expose('urgency', { type: UrgencyEnum }),
    confidentiality: t.expose('confidentiality', { type: ConfidentialityEnum }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime', nullable: true }),
    deadline: t.expose('deadline', { type: 'Date', nullable: true }),
    instructions: t.exposeString('instructions', { nullable: true }),
    workingDaysLate: t.int({
      description: 'Working days past its deadline by the province\'s calendar; 0 when done or not late.',
      select: { status: true, deadline: true },
      resolve: (incoming, _args, ctx) => documents.incomingWorkingDaysLate(ctx as ProvinceContext, incoming),
    }),
    overdue: t.boolean({
      description: 'Not done and past its deadline (Vietnam\'s date).',
      select: { status: true, deadline: true },
      resolve: (incoming, _args, ctx) => incoming.status !== 'DONE' && incoming.deadline !== null && incoming.deadline < vietnamToday(ctx.now),
    }),
    agency: t.relation('agency', { type: AgencyRef }),
    allowedActions: t.field({
      type: [IncomingActionEnum],
      select: { agencyId: true, assigneeId: true, status: true },
      resolve: (incoming, _args, ctx) => documents.allowedIncomingActions(ctx, incoming),
    }),
    log: t.relation('log', { type: DocumentLogEntryRef, query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } }),
  }),
});

const DeadlineRowRef = builder.objectRef<documents.DeadlineRow>('IncomingDeadlineRow').implement({
  description: "One handler's overdue incoming documents at one agency (the unassigned ones together).",
  fields: (t) => ({
    agencyName: t.exposeString('agencyName'),
    assigneeName: t.exposeString('assigneeName', { nullable: true, description: 'Null: not assigned yet.' }),
    overdue: t.exposeInt('overdue'),
    mostWorkingDaysLate: t.exposeInt('mostWorkingDaysLate'),
    documents: t.prismaField({
      type: ['IncomingDocument'],
      resolve: (query, row, _args, ctx) =>
        ctx.db.incomingDocument.findMany({ ...query, where: { tenantId: requireProvince(ctx).id, id: { in: row.incomingIds } }, orderBy: [{ deadline: 'asc' }, { id: 'asc' }] }),
    }),
  }),
});

// ---------------------------------------------------------------- registers

builder.queryFields((t) => ({
  outgoingRegister: t.withAuth({ official: true }).prismaConnection({
    type: 'OfficialDocument',
    cursor: 'tenantId_id',
    description: "Sổ văn bản đi: an agency's issued documents of a year (default: the caller's agency), by series and number. Secret ones only to those granted.",
    args: { year: t.arg.int({ required: true }), issuerId: t.arg.globalID({ required: false, for: [AgencyRef] }) },
    ...pageSize(50, 200),
    resolve: async (query, _root, args, ctx) => {
      const province = requireProvince(ctx);
      const own = await callerAgency(ctx);
      const issuerId = args.issuerId?.id ?? own?.id;
      if (!issuerId) return [];
      const granted = own?.id === issuerId && documents.keepsRegisters(ctx);
      return ctx.db.officialDocument.findMany({
        ...query,
        where: { tenantId: province.id, issuerId, year: args.year, status: 'ISSUED', ...(granted ? {} : { confidentiality: 'NORMAL' }) },
        orderBy: [{ series: 'asc' }, { number: 'asc' }, { id: 'asc' }],
      });
    },
  }),
  documentSearch: t.withAuth({ official: true }).prismaConnection({
    type: 'OfficialDocument',
    cursor: 'tenantId_id',
    description: "The province's issued documents, newest first: words of the summary, symbol, type or signer typed with or without diacritics, number and symbol, type, issuer, issue dates. Secret ones only for their issuer's leaders and clerks.",
    args: {
      text: t.arg.string({ required: false, maxLength: 200 }),
      symbol: t.arg.string({ required: false, maxLength: 60 }),
      type: t.arg({ type: DocumentTypeEnum, required: false }),
      issuerId: t.arg.globalID({ required: false, for: [AgencyRef] }),
      issuedFrom: t.arg({ type: 'Date', required: false }),
      issuedTo: t.arg({ type: 'Date', required: false }),
    },
    ...pageSize(20, 100),
    resolve: (query, _root, args, ctx) =>
      searchDocuments(ctx as ProvinceContext, { ...args, issuerId: args.issuerId?.id ?? null }, query) as Promise<never[]>,
  }),
  incomingDeadlineReport: t.withAuth({ official: true }).field({
    type: [DeadlineRowRef],
    description: 'What is overdue in the incoming registers of a year, by agency and handler, in working days by the province\'s calendar (most late first): every agency for a province admin, their own for a leader or document clerk.',
    args: { year: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => documents.incomingDeadlineReport(ctx as ProvinceContext, args.year),
  }),
  exchangeInbox: t.withAuth({ official: true }).prismaField({
    type: ['DocumentEnvelope'],
    description: "Documents sent to the caller's agency, newest first (status WAITING: what awaits the clerk).",
    args: { status: t.arg({ type: EnvelopeStatusEnum, required: false }) },
    resolve: (query, _root, args, ctx) => exchange.exchangeInbox(ctx as ProvinceContext, args.status ?? null, { ...query, take: 200 } as never),
  }),
  incomingRegister: t.withAuth({ official: true }).prismaConnection({
    type: 'IncomingDocument',
    cursor: 'tenantId_id',
    description: "Sổ văn bản đến: the caller's agency's received documents of a year, by incoming number (`overdue: true`: the deadline report).",
    args: { year: t.arg.int({ required: true }), overdue: t.arg.boolean({ required: false }) },
    ...pageSize(50, 200),
    resolve: async (query, _root, args, ctx) => {
      const province = requireProvince(ctx);
      const own = await callerAgency(ctx);
      if (!own) return [];
      const granted = documents.keepsRegisters(ctx);
      return ctx.db.incomingDocument.findMany({
        ...query,
        where: {
          tenantId: province.id,
          agencyId: own.id,
          year: args.year,
          ...(granted ? {} : { confidentiality: 'NORMAL' }),
          ...(args.overdue ? { status: { not: 'DONE' }, deadline: { lt: vietnamToday(ctx.now) } } : {}),
        },
        orderBy: [{ incomingNumber: 'asc' }, { id: 'asc' }],
      });
    },
  }),
}));

// ---------------------------------------------------------------- mutations

const DraftDocumentInput = builder.inputType('DraftDocumentInput', {
  fields: (t) => ({
    type: t.field({ type: DocumentTypeEnum, required: true }),
    normative: t.boolean({ required: false, defaultValue: false }),
    draftingUnit: t.string({ required: false, maxLength: 20, description: 'A dispatch\'s drafting unit in its symbol (VX in 12/UBND-VX).' }),
    summary: t.string({ required: true, description: 'Trích yếu; a dispatch\'s starts "V/v ".' }),
    urgency: t.field({ type: UrgencyEnum, required: false, defaultValue: 'NORMAL' }),
    confidentiality: t.field({ type: ConfidentialityEnum, required: false, defaultValue: 'NORMAL' }),
    circulation: t.field({ type: CirculationEnum, required: false, defaultValue: 'UNRESTRICTED' }),
    recipientsText: t.string({ required: true, maxLength: 2000, description: 'Nơi nhận, as printed.' }),
    fileId: t.globalID({ required: false, for: [FileRef], description: 'The draft (POST /files?kind=DOCUMENT).' }),
  }),
});

const MoveDocumentInput = builder.inputType('MoveDocumentInput', {
  fields: (t) => ({
    documentId: t.globalID({ required: true, for: [OfficialDocumentRef] }),
    action: t.field({ type: OutgoingActionEnum, required: true }),
    note: t.string({ required: false, maxLength: 2000, description: 'Required to return or cancel.' }),
    signerAuthority: t.field({ type: SignerAuthorityEnum, required: false, description: 'With SIGN.' }),
    signerPosition: t.string({ required: false, maxLength: 200, description: 'With SIGN: as printed (Giám đốc, Phó Chủ tịch).' }),
  }),
});

const RegisterIncomingInput = builder.inputType('RegisterIncomingDocumentInput', {
  fields: (t) => ({
    symbol: t.string({ required: true, maxLength: 60, description: 'Số, ký hiệu as printed: 78/KH-UBND.' }),
    type: t.field({ type: DocumentTypeEnum, required: false, description: 'Default: read from the symbol.' }),
    issuerName: t.string({ required: true, maxLength: 300 }),
    issuedOn: t.field({ type: 'Date', required: true }),
    summary: t.string({ required: true }),
    urgency: t.field({ type: UrgencyEnum, required: false, defaultValue: 'NORMAL' }),
    confidentiality: t.field({ type: ConfidentialityEnum, required: false, defaultValue: 'NORMAL' }),
  }),
});

const MoveIncomingInput = builder.inputType('MoveIncomingDocumentInput', {
  fields: (t) => ({
    incomingId: t.globalID({ required: true, for: [IncomingDocumentRef] }),
    action: t.field({ type: IncomingActionEnum, required: true }),
    assigneeId: t.globalID({ required: false, description: 'With ASSIGN: an official of the receiving agency.' }),
    deadline: t.field({ type: 'Date', required: false, description: 'With ASSIGN: the date.' }),
    workingDays: t.int({ required: false, description: 'With ASSIGN, instead of deadline: within this many working days (1–60) by the province\'s calendar.' }),
    instructions: t.string({ required: false, maxLength: 2000, description: 'With ASSIGN: the leader\'s instructions (ý kiến chỉ đạo).' }),
    replyId: t.globalID({ required: false, for: [OfficialDocumentRef], description: 'With FINISH: the issued answer.' }),
    note: t.string({ required: false, maxLength: 2000 }),
  }),
});

const RecipientInput = builder.inputType('DocumentRecipientInput', {
  fields: (t) => ({
    province: t.string({ required: false, maxLength: 60, description: 'Slug, GSO code or id of the recipient\'s province; default: this one.' }),
    agencyCode: t.string({ required: false, maxLength: 40, description: 'On the platform: the agency\'s electronic identifier code, e.g. 000.00.03.H17.' }),
    externalCode: t.string({ required: false, maxLength: 40, description: 'Outside the platform (a ministry, a province on another system): its code on the national exchange, e.g. 000.00.00.G09.' }),
    externalName: t.string({ required: false, maxLength: 300, description: 'With externalCode: the recipient\'s name.' }),
  }),
});

builder.mutationFields((t) => ({
  sendDocument: t.withAuth({ official: true }).prismaField({
    type: ['DocumentEnvelope'],
    description: 'The issuer\'s document clerk sends an issued document to agencies of this province or others: one envelope each, WAITING.',
    args: { documentId: t.arg.globalID({ required: true, for: [OfficialDocumentRef] }), recipients: t.arg({ type: [RecipientInput], required: true }) },
    resolve: (query, _root, args, ctx) => exchange.sendDocument(ctx as ProvinceContext, { documentId: args.documentId.id, recipients: args.recipients }, query),
  }),
  moveEnvelope: t.withAuth({ official: true }).prismaField({
    type: 'DocumentEnvelope',
    description: 'The recipient\'s clerk receives (into the incoming register) or refuses; the sender recalls.',
    args: { envelopeId: t.arg.globalID({ required: true, for: [DocumentEnvelopeRef] }), action: t.arg({ type: EnvelopeActionEnum, required: true }), note: t.arg.string({ required: false, maxLength: 2000 }) },
    resolve: (query, _root, args, ctx) => exchange.moveEnvelope(ctx as ProvinceContext, { envelopeId: args.envelopeId.id, action: args.action, note: args.note }, query),
  }),
  draftDocument: t.withAuth({ official: true }).prismaField({
    type: 'OfficialDocument',
    description: 'An official drafts a document in the name of their agency.',
    args: { input: t.arg({ type: DraftDocumentInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => documents.draftDocument(ctx as ProvinceContext, { ...input, fileId: input.fileId?.id ?? null }, query),
  }),
  moveDocument: t.withAuth({ official: true }).prismaField({
    type: 'OfficialDocument',
    description: 'Submit, return, approve, sign, issue (numbered) or cancel; a refused move lists the allowed ones.',
    args: { input: t.arg({ type: MoveDocumentInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => documents.moveDocument(ctx as ProvinceContext, { ...input, documentId: input.documentId.id }, query),
  }),
  registerIncomingDocument: t.withAuth({ official: true }).prismaField({
    type: 'IncomingDocument',
    description: 'A document clerk enters a received document in the incoming register, with its incoming number.',
    args: { input: t.arg({ type: RegisterIncomingInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => documents.registerIncoming(ctx as ProvinceContext, input, query),
  }),
  moveIncomingDocument: t.withAuth({ official: true }).prismaField({
    type: 'IncomingDocument',
    description: 'Assign (a leader: to an official of the agency, with a deadline), start, finish (with the issued answer).',
    args: { input: t.arg({ type: MoveIncomingInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      documents.moveIncoming(ctx as ProvinceContext, { ...input, incomingId: input.incomingId.id, assigneeId: input.assigneeId?.id ?? null, replyId: input.replyId?.id ?? null }, query),
  }),
}));

// ---------------------------------------------------------------- live

builder.subscriptionFields((t) => ({
  incomingDocuments: t.withAuth({ official: true }).field({
    type: DocumentEnvelopeRef,
    nullable: true,
    description: "Documents sent to the caller's agency as they arrive, their updates and their recall.",
    subscribe: async (_root, _args, ctx) => {
      const tenantId = requireProvince(ctx).id;
      const own = await callerAgency(ctx);
      return ctx.platform.services.documents.events.subscribe(
        (event) => own !== null && event.recipientTenantId === tenantId && event.recipientAgencyId === own.id && (event.kind !== 'CHANGED' || event.status === 'RECALLED'),
      );
    },
    // Each event is its own unit of work (server.ts): the envelope is read afresh, under row-level security.
    resolve: (event, _args, ctx) => ctx.db.documentEnvelope.findUnique({ where: { id: event.envelopeId } }),
  }),
  sentDocumentStatus: t.withAuth({ official: true }).field({
    type: DocumentEnvelopeRef,
    nullable: true,
    description: "Each status a recipient reports on what the caller's agency sent (received, refused, assigned, in progress, done), its answers to updates, and recalls.",
    subscribe: async (_root, _args, ctx) => {
      const tenantId = requireProvince(ctx).id;
      const own = await callerAgency(ctx);
      return ctx.platform.services.documents.events.subscribe((event) => own !== null && event.kind === 'CHANGED' && event.senderTenantId === tenantId && event.senderAgencyId === own.id);
    },
    resolve: (event, _args, ctx) => ctx.db.documentEnvelope.findUnique({ where: { id: event.envelopeId } }),
  }),
}));
