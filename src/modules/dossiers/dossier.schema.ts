// Dossiers: intake, moves, the officials' work queue, citizens' tracking and live status. Thin
// resolvers over dossier.service and tracking.service.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../schema/builder';
import { pageSize, subscriptionsCountedBy } from '../../kernel/field-limits';
import { recordPersonalDataRead } from '../audit/audit.service';
import { ApplicantType, DossierChannel, DossierStatus, FinishedOutcome, PaymentMethod, ResultReturnMethod } from '../../generated/prisma/enums';
import { AgencyRef } from '../directory/agency.schema';
import { OfficialRef } from '../directory/official.schema';
import { tenantKey } from '../../kernel/tenant-key';
import { callerAgency, currentOfficial } from '../../context/current-official';
import { actorsFor, canSeeDossier } from './dossier-access';
import { DossierPaperInput, FileRef } from '../files/file.schema';
import { isOverdueNow } from './on-time';
import { queueCount, queuePage } from './queue.service';
import { ACTION_NAME, DOSSIER_ACTIONS, NATIONAL_STATUS_CODE, STATUS_NAME, allowedActions } from './lifecycle';
import { lookUpTrackedDossier, normaliseTrackingInput, notTracked, trackDossier, trackedView, type TrackedDossier } from './tracking.service';
import * as dossiers from './dossier.service';
import { selectsField } from '../../schema/selection';

export const DossierStatusEnum = builder.enumType(DossierStatus, {
  name: 'DossierStatus',
  description: "The national portal's status list (nationalStatusCode gives its number, 1–10).",
});
export const DossierChannelEnum = builder.enumType(DossierChannel, { name: 'DossierChannel' });
const ApplicantTypeEnum = builder.enumType(ApplicantType, { name: 'ApplicantType' });
const FinishedOutcomeEnum = builder.enumType(FinishedOutcome, {
  name: 'FinishedOutcome',
  description: 'How a finished dossier stands under the national on-time rule (Quyết định 766/QĐ-TTg).',
});
const PaymentMethodEnum = builder.enumType(PaymentMethod, {
  name: 'PaymentMethod',
  description: 'How a fee was paid: online (the national payment platform) or at the counter.',
});
const ResultReturnMethodEnum = builder.enumType(ResultReturnMethod, {
  name: 'ResultReturnMethod',
  description: 'How the result went back to the applicant: at the counter, by post, or electronically.',
});
const DossierActionEnum = builder.enumType('DossierAction', {
  values: Object.fromEntries(DOSSIER_ACTIONS.map((action) => [action, { description: ACTION_NAME[action] }])) as Record<(typeof DOSSIER_ACTIONS)[number], { description: string }>,
});

type PothosTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;


const DossierLogEntryRef = builder.prismaObject('DossierLogEntry', {
  description: 'One move in the processing log: who, when, from which status to which, note and step deadline.',
  fields: (t) => ({
    action: t.exposeString('action', { description: 'A DossierAction, or SUBMIT, ASSIGN, EXTEND.' }),
    actionName: t.string({
      resolve: (entry) => (ACTION_NAME as Record<string, string>)[entry.action] ?? { SUBMIT: 'Nộp hồ sơ trực tuyến', ASSIGN: 'Giao xử lý', EXTEND: 'Gia hạn' }[entry.action] ?? entry.action,
    }),
    fromStatus: t.expose('fromStatus', { type: DossierStatusEnum, nullable: true }),
    toStatus: t.expose('toStatus', { type: DossierStatusEnum }),
    actorRole: t.exposeString('actorRole'),
    actorName: t.exposeString('actorName', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    stepDueAt: t.expose('stepDueAt', { type: 'DateTime', nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

interface Applicant {
  /** The dossier's: a read of the CCCD is audited against it. */
  id: string;
  applicantName: string;
  applicantType: ApplicantType;
  applicantIdNumber: string | null;
  applicantPhone: string | null;
  applicantEmail: string | null;
  applicantAddress: string | null;
}

const APPLICANT_COLUMNS = {
  id: true,
  applicantName: true,
  applicantType: true,
  applicantIdNumber: true,
  applicantPhone: true,
  applicantEmail: true,
  applicantAddress: true,
} as const satisfies Record<keyof Applicant, true>;

const ApplicantRef = builder.objectRef<Applicant>('Applicant').implement({
  fields: (t) => ({
    name: t.exposeString('applicantName'),
    type: t.expose('applicantType', { type: ApplicantTypeEnum }),
    idNumber: t.string({
      nullable: true,
      resolve: (applicant, _args, ctx) => {
        // Read by anyone but the applicant themself (a clerk, a handler, an admin): into the audit trail.
        if (applicant.applicantIdNumber && ctx.caller.kind !== 'citizen') recordPersonalDataRead(ctx, 'Applicant.idNumber', `Dossier:${applicant.id}`);
        return applicant.applicantIdNumber;
      },
    }),
    phone: t.exposeString('applicantPhone', { nullable: true }),
    email: t.exposeString('applicantEmail', { nullable: true }),
    address: t.exposeString('applicantAddress', { nullable: true }),
  }),
});

export const DossierRef = builder.prismaNode('Dossier', {
  description: 'A dossier (hồ sơ thủ tục hành chính). Visible to its agency, its assignee, its applicant and province admins.',
  nullable: true,
  // Select mode: each field names the columns it reads, so a queue row does not carry the applicant's
  // personal data or the tracking secret's hash. These are what deciding who may see it needs.
  select: { id: true, agencyId: true, assigneeId: true, applicantAccount: true },
  id: { resolve: (dossier) => dossier.id },
  findUnique: (id, ctx) => tenantKey(ctx, id),
  authScopes: (dossier, ctx) => canSeeDossier(ctx, dossier),
  fields: (t) => ({
    code: t.exposeString('code', { description: '{agency identifier}-{yyMMdd}-{NNNN}.' }),
    procedure: t.relation('procedure'),
    agency: t.relation('agency'),
    channel: t.expose('channel', { type: DossierChannelEnum }),
    status: t.expose('status', { type: DossierStatusEnum }),
    statusName: t.string({ description: 'Vietnamese name of the status.', select: { status: true }, resolve: (row) => STATUS_NAME[row.status] }),
    nationalStatusCode: t.int({ select: { status: true }, resolve: (row) => NATIONAL_STATUS_CODE[row.status] }),
    applicant: t.field({ type: ApplicantRef, select: APPLICANT_COLUMNS, resolve: (dossier) => dossier }),
    representativeName: t.exposeString('representativeName', { nullable: true }),
    summary: t.exposeString('summary', { description: 'Trích yếu.' }),
    documentsProvided: t.exposeStringList('documentsProvided'),
    identityVerified: t.exposeBoolean('identityVerified', {
      description: "The applicant's identity was verified with VNeID at intake: signed in through VNeID online, or the chip ID card / VNeID app read at the counter.",
    }),
    digitisedComponents: t.exposeInt('digitisedComponents', { description: 'Papers filed as files at intake (digitised components); supplements do not count.' }),
    feeVnd: t.exposeInt('feeVnd'),
    paid: t.exposeBoolean('paid', { description: 'The financial obligation asked for is met (set by CONFIRM_PAYMENT).' }),
    paidAt: t.expose('paidAt', { type: 'DateTime', nullable: true, description: 'When the last payment was confirmed.' }),
    paymentMethod: t.expose('paymentMethod', { type: PaymentMethodEnum, nullable: true, description: 'How the last confirmed payment was made.' }),
    paymentReceipt: t.exposeString('paymentReceipt', {
      nullable: true,
      description: "The receipt (biên lai) number of the last confirmed payment; for one made online, the payment platform's transaction number.",
    }),
    submittedAt: t.expose('submittedAt', { type: 'DateTime' }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime', nullable: true }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true, description: 'The due date now: pauses added back, extension included.' }),
    originalDueAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The due date before any extension: what the on-time rule judges.',
      select: { dueAtBeforeExtension: true, dueAt: true },
      resolve: (dossier) => dossier.dueAtBeforeExtension ?? dossier.dueAt,
    }),
    extensionLetter: t.exposeString('extensionLetter', { nullable: true, description: 'The apology-and-extension letter, if extended.' }),
    pausedAt: t.expose('pausedAt', { type: 'DateTime', nullable: true, description: 'Set while the clock waits for a supplement or a payment.' }),
    supplementRequests: t.exposeInt('supplementRequests'),
    resultReadyAt: t.expose('resultReadyAt', { type: 'DateTime', nullable: true }),
    returnedAt: t.expose('returnedAt', { type: 'DateTime', nullable: true }),
    resultReturn: t.expose('resultReturn', { type: ResultReturnMethodEnum, nullable: true, description: 'How the result was returned (RETURN_RESULT).' }),
    rating: t.exposeInt('rating', { nullable: true, description: "The applicant's rating of the service, 1–5, given once after the result was returned." }),
    ratingComment: t.exposeString('ratingComment', { nullable: true }),
    ratedAt: t.expose('ratedAt', { type: 'DateTime', nullable: true }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    outcome: t.expose('outcome', { type: FinishedOutcomeEnum, nullable: true }),
    overdue: t.boolean({ select: { status: true, dueAt: true, pausedAt: true }, resolve: (dossier, _args, ctx) => isOverdueNow(dossier, ctx.now) }),
    assignee: t.relation('assignee', { nullable: true }),
    files: t.relation('files', { description: 'Papers filed as files, supplements and the result.', query: { orderBy: [{ attachedAt: 'asc' }, { fileId: 'asc' }] } }),
    log: t.relation('log', { type: DossierLogEntryRef, query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } }),
    allowedActions: t.field({
      type: [DossierActionEnum],
      description: 'What the caller may do with the dossier now.',
      select: { status: true },
      resolve: async (dossier, _args, ctx) => allowedActions(dossier.status, await actorsFor(ctx, dossier)),
    }),
  }),
});

// ---------------------------------------------------------------- intake and moves

const ApplicantInput = builder.inputType('ApplicantInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    type: t.field({ type: ApplicantTypeEnum, required: true }),
    idNumber: t.string({ required: false, description: 'CCCD (12 digits) for a citizen; enterprise code for a business.' }),
    phone: t.string({ required: false }),
    email: t.string({ required: false }),
    address: t.string({ required: false }),
  }),
});

const intakeFields = (t: PothosSchemaTypes.InputFieldBuilder<PothosTypes, 'InputObject'>) => ({
  procedureCode: t.string({ required: true, description: 'National code, e.g. 1.001193.' }),
  agencyId: t.globalID({ required: true, for: [AgencyRef], description: 'The agency that performs the procedure.' }),
  applicant: t.field({ type: ApplicantInput, required: true }),
  representativeName: t.string({ required: false, description: 'Authorised representative, if any.' }),
  summary: t.string({ required: true, description: 'Trích yếu.' }),
  documentsProvided: t.stringList({ required: true, description: 'Codes of the required documents handed in (RequiredDocument.code).' }),
  papers: t.field({ type: [DossierPaperInput], required: false, description: 'Documents filed as uploaded files; each counts as handed in.' }),
});

const SubmitDossierInput = builder.inputType('SubmitDossierInput', { fields: (t) => intakeFields(t) });
const ReceiveDossierInput = builder.inputType('ReceiveDossierInput', {
  fields: (t) => ({
    ...intakeFields(t),
    channel: t.field({ type: DossierChannelEnum, required: false, defaultValue: 'IN_PERSON' }),
    identityVerified: t.boolean({
      required: false,
      defaultValue: false,
      description: "The clerk verified the applicant's identity with VNeID: read the chip ID card or the VNeID app.",
    }),
  }),
});

const DossierReceiptRef = builder.objectRef<dossiers.Receipt>('DossierReceipt').implement({
  description: 'What the receipt (phiếu hẹn) prints. The secret is shown only here.',
  fields: (t) => ({
    code: t.exposeString('code'),
    secret: t.exposeString('secret', { description: 'With the code, lets the applicant track the dossier without an account.' }),
    dossier: t.prismaField({ type: 'Dossier', resolve: (query, receipt, _args, ctx) => ctx.db.dossier.findUniqueOrThrow({ ...query, where: tenantKey(ctx, receipt.dossierId) }) }),
  }),
});

const DossierPaymentInput = builder.inputType('DossierPaymentInput', {
  description: 'A payment confirmed with CONFIRM_PAYMENT.',
  fields: (t) => ({
    method: t.field({ type: PaymentMethodEnum, required: true }),
    receiptNumber: t.string({
      required: true,
      description: "The receipt (biên lai) number, 1–50 printable characters; for a payment made online, the payment platform's transaction number.",
    }),
  }),
});

const MoveDossierInput = builder.inputType('MoveDossierInput', {
  fields: (t) => ({
    dossierId: t.globalID({ required: true, for: [DossierRef] }),
    action: t.field({ type: DossierActionEnum, required: true }),
    note: t.string({ required: false, maxLength: 2000, description: 'Required for refusal, supplement or payment requests, withdrawal and stop.' }),
    stepDueAt: t.field({ type: 'DateTime', required: false, description: 'Deadline of the next step; must be in the future.' }),
    assigneeId: t.globalID({ required: false, for: [OfficialRef], description: 'Hand the dossier to this official with the move.' }),
    papers: t.field({ type: [DossierPaperInput], required: false, description: 'With RESUME_AFTER_SUPPLEMENT: the papers asked for, as uploaded files.' }),
    resultFileId: t.globalID({ required: false, for: [FileRef], description: 'With FINISH: the result (POST /files?kind=DOSSIER_RESULT), for the applicant to download.' }),
    payment: t.field({ type: DossierPaymentInput, required: false, description: 'With CONFIRM_PAYMENT, and only with it (required): how it was paid and the receipt.' }),
    returnMethod: t.field({ type: ResultReturnMethodEnum, required: false, description: 'With RETURN_RESULT, and only with it (required): how the result went back.' }),
  }),
});

const ExtendDossierInput = builder.inputType('ExtendDossierInput', {
  fields: (t) => ({
    dossierId: t.globalID({ required: true, for: [DossierRef] }),
    newDueAt: t.field({ type: 'DateTime', required: true }),
    apologyLetter: t.string({ required: true, description: 'Number and symbol of the apology-and-extension letter, e.g. 125/TB-STP.' }),
    reason: t.string({ required: true }),
  }),
});

const papersOf = (papers: readonly { documentCode: string; fileId: { id: string } }[] | null | undefined) =>
  (papers ?? []).map((paper) => ({ documentCode: paper.documentCode, fileId: paper.fileId.id }));

builder.mutationFields((t) => ({
  submitDossier: t.withAuth({ citizen: true }).field({
    type: DossierReceiptRef,
    description: 'A citizen files a dossier online; it waits for a clerk to receive it.',
    args: { input: t.arg({ type: SubmitDossierInput, required: true }) },
    resolve: (_root, { input }, ctx) => dossiers.submitDossier(ctx, { ...input, agencyId: input.agencyId.id, papers: papersOf(input.papers) }),
  }),
  receiveDossier: t.withAuth({ official: true }).field({
    type: DossierReceiptRef,
    description: 'A receiving clerk takes in a dossier at the counter or by post; the due date is set now.',
    args: { input: t.arg({ type: ReceiveDossierInput, required: true }) },
    resolve: (_root, { input }, ctx) => dossiers.receiveDossier(ctx, { ...input, agencyId: input.agencyId.id, papers: papersOf(input.papers) }),
  }),
  moveDossier: t.withAuth({ official: true, citizen: true }).prismaField({
    type: 'Dossier',
    description: 'Moves a dossier along the national status list. A refused move lists the allowed ones (extensions.allowedActions).',
    args: { input: t.arg({ type: MoveDossierInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      dossiers.moveDossier(
        ctx,
        { ...input, dossierId: input.dossierId.id, assigneeId: input.assigneeId?.id ?? null, papers: papersOf(input.papers), resultFileId: input.resultFileId?.id ?? null },
        query,
      ),
  }),
  assignDossier: t.withAuth({ official: true }).prismaField({
    type: 'Dossier',
    args: { dossierId: t.arg.globalID({ required: true, for: [DossierRef] }), officialId: t.arg.globalID({ required: true, for: [OfficialRef] }) },
    resolve: (query, _root, args, ctx) => dossiers.assignDossier(ctx, args.dossierId.id, args.officialId.id, query),
  }),
  extendDossierDeadline: t.withAuth({ official: true }).prismaField({
    type: 'Dossier',
    description: 'A leader extends a late dossier with an apology letter; the original due date is kept.',
    args: { input: t.arg({ type: ExtendDossierInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => dossiers.extendDossier(ctx, { ...input, dossierId: input.dossierId.id }, query),
  }),
}));

// ---------------------------------------------------------------- the work queue

const QueueScope = builder.enumType('QueueScope', {
  values: { AGENCY: { description: "The dossiers of an agency (default: the caller's)." }, ASSIGNED_TO_ME: { description: 'The dossiers assigned to the caller.' } },
});

const DossierQueueFilter = builder.inputType('DossierQueueFilter', {
  fields: (t) => ({
    scope: t.field({ type: QueueScope, required: false, defaultValue: 'AGENCY' }),
    agencyId: t.globalID({ required: false, for: [AgencyRef], description: 'Province admins and the one-stop-shop centre: another agency.' }),
    statuses: t.field({ type: [DossierStatusEnum], required: false, description: 'Default: the open statuses.' }),
    overdue: t.boolean({ required: false }),
    dueWithinWorkingDays: t.int({ required: false, description: 'Due within this many working days from now (0–60).' }),
    procedureCode: t.string({ required: false }),
    channel: t.field({ type: DossierChannelEnum, required: false }),
  }),
});

builder.queryFields((t) => ({
  dossierQueue: t.withAuth({ official: true, provinceAdmin: true }).prismaConnection({
    type: 'Dossier',
    cursor: 'tenantId_id',
    skipTypeScopes: true,
    description: "Officials' work queue, soonest due first.",
    args: { filter: t.arg({ type: DossierQueueFilter, required: false }) },
    ...pageSize(25, 100),
    totalCount: (_parent, args, ctx) => queueCount(ctx, args.filter),
    // Rows as Prisma would return them for `query` (the page, its selection and the count in one statement).
    resolve: (query, _root, args, ctx, info) => queuePage(ctx, args.filter, query, selectsField(info, 'totalCount')) as Promise<never[]>,
  }),
  myDossiers: t.prismaConnection({
    type: 'Dossier',
    cursor: 'tenantId_id',
    skipTypeScopes: true,
    authScopes: { citizen: true },
    description: 'The dossiers the signed-in citizen filed online, newest first.',
    ...pageSize(25, 100),
    resolve: (query, _root, _args, ctx) =>
      ctx.db.dossier.findMany({
        ...query,
        where: { applicantAccount: ctx.caller.kind === 'citizen' ? ctx.caller.subject : '-' },
        orderBy: [{ submittedAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

// ---------------------------------------------------------------- tracking and live status

const TrackedStepRef = builder.objectRef<TrackedDossier['history'][number]>('TrackedStep').implement({
  fields: (t) => ({
    action: t.exposeString('action'),
    status: t.expose('status', { type: DossierStatusEnum }),
    statusName: t.string({ description: 'Vietnamese name of the status.', resolve: (row) => STATUS_NAME[row.status] }),
    nationalStatusCode: t.int({ resolve: (row) => NATIONAL_STATUS_CODE[row.status] }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const TrackedDossierRef = builder.objectRef<TrackedDossier>('TrackedDossier').implement({
  description: 'What anyone holding the code and the secret may see: no personal data.',
  fields: (t) => ({
    code: t.exposeString('code'),
    procedureCode: t.exposeString('procedureCode'),
    procedureName: t.exposeString('procedureName'),
    agencyName: t.exposeString('agencyName'),
    channel: t.expose('channel', { type: DossierChannelEnum }),
    status: t.expose('status', { type: DossierStatusEnum }),
    statusName: t.string({ description: 'Vietnamese name of the status.', resolve: (row) => STATUS_NAME[row.status] }),
    nationalStatusCode: t.int({ resolve: (row) => NATIONAL_STATUS_CODE[row.status] }),
    submittedAt: t.expose('submittedAt', { type: 'DateTime' }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime', nullable: true }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
    resultReadyAt: t.expose('resultReadyAt', { type: 'DateTime', nullable: true }),
    returnedAt: t.expose('returnedAt', { type: 'DateTime', nullable: true }),
    overdue: t.boolean({ resolve: (dossier, _args, ctx) => isOverdueNow(dossier, ctx.now) }),
    history: t.field({ type: [TrackedStepRef], resolve: (dossier) => dossier.history }),
  }),
});

builder.queryFields((t) => ({
  trackDossier: t.withAuth({ publicInProvince: true }).field({
    type: TrackedDossierRef,
    nullable: true,
    skipTypeScopes: true,
    description: 'Status, due date and history of a dossier, by its code and the secret on the receipt. Null when they do not match.',
    args: { code: t.arg.string({ required: true }), secret: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => trackDossier(ctx, args.code, args.secret),
  }),
}));

const DossierRatingRef = builder.objectRef<dossiers.Rating>('DossierRating').implement({
  description: "The applicant's rating of the service (the satisfaction indicator of Quyết định 766/QĐ-TTg).",
  fields: (t) => ({
    code: t.exposeString('code'),
    rating: t.exposeInt('rating', { description: '1–5.' }),
    comment: t.exposeString('comment', { nullable: true }),
    ratedAt: t.expose('ratedAt', { type: 'DateTime' }),
  }),
});

const ratingFields = (t: PothosSchemaTypes.InputFieldBuilder<PothosTypes, 'InputObject'>) => ({
  rating: t.int({ required: true, description: '1 (very dissatisfied) to 5 (very satisfied).' }),
  comment: t.string({ required: false, maxLength: 2000, description: 'Optional, at most 1000 characters once trimmed.' }),
});

const RateDossierInput = builder.inputType('RateDossierInput', {
  fields: (t) => ({
    code: t.string({ required: true }),
    secret: t.string({ required: true, description: 'The tracking secret printed on the receipt.' }),
    ...ratingFields(t),
  }),
});

const RateMyDossierInput = builder.inputType('RateMyDossierInput', {
  fields: (t) => ({ dossierId: t.globalID({ required: true, for: [DossierRef] }), ...ratingFields(t) }),
});

builder.mutationFields((t) => ({
  rateDossier: t.withAuth({ publicInProvince: true }).field({
    type: DossierRatingRef,
    // open to anyone in the province holding the receipt, not only to signed-in callers
    skipTypeScopes: true,
    description:
      'The applicant holding the receipt rates the service, once, after the result was returned (NOT_RETURNED_YET before, ALREADY_RATED after). A code and secret that do not match answer DOSSIER_NOT_FOUND and count as failed tracking look-ups.',
    args: { input: t.arg({ type: RateDossierInput, required: true }) },
    resolve: (_root, { input }, ctx) => dossiers.rateDossier(ctx, input),
  }),
  rateMyDossier: t.withAuth({ citizen: true }).field({
    type: DossierRatingRef,
    description: 'The citizen account that filed the dossier online rates it, as rateDossier does.',
    args: { input: t.arg({ type: RateMyDossierInput, required: true }) },
    resolve: (_root, { input }, ctx) => dossiers.rateOwnDossier(ctx, { ...input, dossierId: input.dossierId.id }),
  }),
}));

const DossierFeedKind = builder.enumType('DossierFeedKind', { values: ['CREATED', 'CHANGED'] as const });

interface FeedEvent {
  kind: 'CREATED' | 'CHANGED';
  dossierId: string;
  code: string;
  status: DossierStatus;
  dueAt: Date | null;
  procedureName: string;
  channel: DossierChannel;
}

const DossierFeedEventRef = builder.objectRef<FeedEvent>('DossierFeedEvent').implement({
  description: 'A new or changed dossier of the agency; fetch node(id) for the rest.',
  fields: (t) => ({
    kind: t.expose('kind', { type: DossierFeedKind }),
    dossierId: t.id({ resolve: (event) => encodeGlobalID('Dossier', event.dossierId) }),
    code: t.exposeString('code'),
    status: t.expose('status', { type: DossierStatusEnum }),
    statusName: t.string({ description: 'Vietnamese name of the status.', resolve: (row) => STATUS_NAME[row.status] }),
    nationalStatusCode: t.int({ resolve: (row) => NATIONAL_STATUS_CODE[row.status] }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
    procedureName: t.exposeString('procedureName'),
    channel: t.expose('channel', { type: DossierChannelEnum }),
  }),
});

builder.subscriptionFields((t) => ({
  dossierStatusChanged: t.withAuth({ publicInProvince: true }).field({
    type: TrackedDossierRef,
    skipTypeScopes: true,
    description: "The applicant's live view: the tracked dossier each time its status changes.",
    args: { code: t.arg.string({ required: true }), secret: t.arg.string({ required: true }) },
    ...subscriptionsCountedBy('code'), // one receipt holds at most SUBSCRIPTIONS_PER_RECEIPT of them
    subscribe: async (_root, args, ctx) => {
      const tracked = await lookUpTrackedDossier(ctx, normaliseTrackingInput(args.code, args.secret));
      if (!tracked) throw notTracked();
      const tenantId = ctx.province.id;
      return ctx.platform.services.dossiers.events.subscribe((event) => event.tenantId === tenantId && event.dossierId === tracked.dossierId);
    },
    // Each event is its own unit of work (see server.ts): the dossier is read afresh.
    resolve: async (event, _args, ctx) => {
      const tracked = await trackedView(ctx, event.code);
      if (!tracked) throw notTracked();
      return tracked;
    },
  }),
  dossierFeed: t.withAuth({ official: true }).field({
    type: DossierFeedEventRef,
    description: "New and changed dossiers of the caller's agency, and those assigned to the caller.",
    subscribe: async (_root, _args, ctx) => {
      const tenantId = ctx.province.id;
      const own = await callerAgency(ctx);
      const self = await currentOfficial(ctx);
      const everyAgency = own?.kind === 'PUBLIC_SERVICE_UNIT';
      return ctx.platform.services.dossiers.events.subscribe(
        (event) => event.tenantId === tenantId && (everyAgency || event.agencyId === own?.id || (self !== null && event.assigneeId === self.id)),
      );
    },
    resolve: async (event, _args, ctx) => {
      const dossier = await ctx.db.dossier.findUniqueOrThrow({
        where: tenantKey(ctx, event.dossierId),
        select: { id: true, code: true, status: true, dueAt: true, channel: true, procedure: { select: { name: true } } },
      });
      return { kind: event.kind, dossierId: dossier.id, code: dossier.code, status: dossier.status, dueAt: dossier.dueAt, procedureName: dossier.procedure.name, channel: dossier.channel };
    },
  }),
}));
