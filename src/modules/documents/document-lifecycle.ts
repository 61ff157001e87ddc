// The lifecycles of official documents on the kernel's engine. Outgoing (văn bản đi): drafted by an
// official of the issuing agency, reviewed and approved by its leader, signed by a leader with an
// authority prefix, issued (numbered, dated) by its document clerk (văn thư). Incoming (văn bản đến):
// registered by the clerk with the next incoming number, assigned by a leader to an official with a
// deadline and instructions, handled, finished (with the outgoing reply, if any). Pure.
import { defineLifecycle } from '../../kernel/lifecycle';
import type { EnvelopeStatus, IncomingStatus, OutgoingStatus } from '../../generated/prisma/enums';

export type DocumentActor = 'DRAFTER' | 'LEADER' | 'CLERK' | 'ASSIGNEE';

export const OUTGOING_ACTIONS = ['SUBMIT', 'RETURN', 'APPROVE', 'SIGN', 'ISSUE', 'CANCEL'] as const;
export type OutgoingAction = (typeof OUTGOING_ACTIONS)[number];
export type OutgoingField = 'note' | 'signerPosition';
/** NUMBER: the issuer's next number in the document's series, the symbol, the date and place. */
export type OutgoingEffect = 'NUMBER' | 'SIGNER';

export const outgoingLifecycle = defineLifecycle<{ status: OutgoingStatus; action: OutgoingAction; actor: DocumentActor; field: OutgoingField; effect: OutgoingEffect }>({
  statuses: ['DRAFT', 'IN_REVIEW', 'APPROVED', 'SIGNED', 'ISSUED', 'CANCELLED'],
  transitions: [
    { action: 'SUBMIT', from: ['DRAFT'], to: 'IN_REVIEW', actors: ['DRAFTER'], effects: [] },
    { action: 'RETURN', from: ['IN_REVIEW', 'APPROVED'], to: 'DRAFT', actors: ['LEADER'], requires: ['note'], effects: [] },
    { action: 'APPROVE', from: ['IN_REVIEW'], to: 'APPROVED', actors: ['LEADER'], effects: [] },
    { action: 'SIGN', from: ['APPROVED'], to: 'SIGNED', actors: ['LEADER'], requires: ['signerPosition'], effects: ['SIGNER'] },
    { action: 'ISSUE', from: ['SIGNED'], to: 'ISSUED', actors: ['CLERK'], effects: ['NUMBER'] },
    { action: 'CANCEL', from: ['DRAFT', 'IN_REVIEW', 'APPROVED'], to: 'CANCELLED', actors: ['DRAFTER', 'LEADER'], requires: ['note'], effects: [] },
  ],
});

export const INCOMING_ACTIONS = ['ASSIGN', 'START', 'FINISH'] as const;
export type IncomingAction = (typeof INCOMING_ACTIONS)[number];
export type IncomingField = 'assigneeId' | 'deadline';
export type IncomingEffect = 'ASSIGNEE' | 'DONE';

export const incomingLifecycle = defineLifecycle<{ status: IncomingStatus; action: IncomingAction; actor: DocumentActor; field: IncomingField; effect: IncomingEffect }>({
  statuses: ['WAITING', 'REFUSED', 'RECEIVED', 'ASSIGNED', 'IN_PROGRESS', 'DONE'],
  transitions: [
    { action: 'ASSIGN', from: ['RECEIVED', 'ASSIGNED'], to: 'ASSIGNED', actors: ['LEADER'], requires: ['assigneeId', 'deadline'], effects: ['ASSIGNEE'] },
    { action: 'START', from: ['ASSIGNED'], to: 'IN_PROGRESS', actors: ['ASSIGNEE'], effects: [] },
    { action: 'FINISH', from: ['IN_PROGRESS'], to: 'DONE', actors: ['ASSIGNEE', 'LEADER'], effects: ['DONE'] },
  ],
});

export const OUTGOING_ACTION_NAME: Record<OutgoingAction, string> = {
  SUBMIT: 'Trình duyệt',
  RETURN: 'Trả lại để sửa',
  APPROVE: 'Duyệt',
  SIGN: 'Ký ban hành',
  ISSUE: 'Phát hành (cấp số)',
  CANCEL: 'Hủy dự thảo',
};

export const INCOMING_ACTION_NAME: Record<IncomingAction, string> = {
  ASSIGN: 'Giao xử lý',
  START: 'Bắt đầu xử lý',
  FINISH: 'Hoàn thành',
};

// ---------------------------------------------------------------- exchange envelopes

export type EnvelopeActor = 'SENDER' | 'RECIPIENT';
export const ENVELOPE_ACTIONS = ['RECEIVE', 'REFUSE', 'RECALL', 'REPORT_ASSIGNED', 'REPORT_IN_PROGRESS', 'REPORT_DONE'] as const;
export type EnvelopeAction = (typeof ENVELOPE_ACTIONS)[number];

/**
 * An envelope as the national exchange reports it: the recipient receives or refuses it, then its
 * register entry's moves are reported (assigned, in progress, done); the sender may recall it until
 * it is done. The database holds each side to its own moves as well (document_envelope_sides).
 */
export const envelopeLifecycle = defineLifecycle<{ status: EnvelopeStatus; action: EnvelopeAction; actor: EnvelopeActor; field: 'note'; effect: never }>({
  statuses: ['WAITING', 'REFUSED', 'RECEIVED', 'ASSIGNED', 'IN_PROGRESS', 'DONE', 'RECALLED'],
  transitions: [
    { action: 'RECEIVE', from: ['WAITING'], to: 'RECEIVED', actors: ['RECIPIENT'], effects: [] },
    { action: 'REFUSE', from: ['WAITING'], to: 'REFUSED', actors: ['RECIPIENT'], requires: ['note'], effects: [] },
    { action: 'RECALL', from: ['WAITING', 'RECEIVED', 'ASSIGNED', 'IN_PROGRESS'], to: 'RECALLED', actors: ['SENDER'], requires: ['note'], effects: [] },
    { action: 'REPORT_ASSIGNED', from: ['RECEIVED', 'ASSIGNED'], to: 'ASSIGNED', actors: ['RECIPIENT'], effects: [] },
    { action: 'REPORT_IN_PROGRESS', from: ['ASSIGNED'], to: 'IN_PROGRESS', actors: ['RECIPIENT'], effects: [] },
    { action: 'REPORT_DONE', from: ['IN_PROGRESS'], to: 'DONE', actors: ['RECIPIENT'], effects: [] },
  ],
});

/** What an incoming document's move reports to the envelope it arrived in. */
export const ENVELOPE_REPORT: Record<IncomingAction, EnvelopeAction> = { ASSIGN: 'REPORT_ASSIGNED', START: 'REPORT_IN_PROGRESS', FINISH: 'REPORT_DONE' };

export const ENVELOPE_ACTION_NAME: Record<EnvelopeAction, string> = {
  RECEIVE: 'Tiếp nhận',
  REFUSE: 'Từ chối',
  RECALL: 'Thu hồi',
  REPORT_ASSIGNED: 'Đã phân công',
  REPORT_IN_PROGRESS: 'Đang xử lý',
  REPORT_DONE: 'Hoàn thành',
};

// ---------------------------------------------------------------- updates to what was sent

export const UPDATE_ACTIONS = ['SEND_UPDATE', 'ACCEPT_UPDATE', 'REFUSE_UPDATE'] as const;
export type UpdateAction = (typeof UPDATE_ACTIONS)[number];
/** An envelope's update: none yet, one sent and unanswered, or the recipient's answer to the last. */
export type UpdateState = 'NONE' | 'SENT' | 'ACCEPTED' | 'REFUSED';

/**
 * The sender sends an update to what it sent (a correction, with what changed in its note), while the
 * envelope is neither refused nor recalled; the recipient accepts or refuses it; a new update may
 * follow an answered one. The database holds each side to its own part (document_envelope_sides).
 */
export const updateLifecycle = defineLifecycle<{ status: UpdateState; action: UpdateAction; actor: EnvelopeActor; field: 'note'; effect: never }>({
  statuses: ['NONE', 'SENT', 'ACCEPTED', 'REFUSED'],
  transitions: [
    { action: 'SEND_UPDATE', from: ['NONE', 'ACCEPTED', 'REFUSED'], to: 'SENT', actors: ['SENDER'], requires: ['note'], effects: [] },
    { action: 'ACCEPT_UPDATE', from: ['SENT'], to: 'ACCEPTED', actors: ['RECIPIENT'], effects: [] },
    { action: 'REFUSE_UPDATE', from: ['SENT'], to: 'REFUSED', actors: ['RECIPIENT'], requires: ['note'], effects: [] },
  ],
});

export const UPDATE_ACTION_NAME: Record<UpdateAction, string> = {
  SEND_UPDATE: 'Gửi văn bản cập nhật',
  ACCEPT_UPDATE: 'Chấp nhận cập nhật',
  REFUSE_UPDATE: 'Từ chối cập nhật',
};
