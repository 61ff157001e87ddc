// The receiving and the sending province's answers to a transfer request. The receiving province
// decides in its own directory: its e-mail check runs there, by its admin, and what the sender sees is
// only the answer. Accepting closes the sender's record through withinProvince, the one crossing, and
// only for the official the sender named (the app may not change who a request moves: see the migration).
import type { ProvinceContext } from '../../context/context';
import { withinProvince } from '../../db/tenant-scope';
import { AppError, ErrorCode, invalidInput } from '../../errors';
import type { Prisma } from '../../generated/prisma/client';
import { assertEmailFree, closeOpenPosting, notFound } from './official.service';
import { parseOfficialChanges } from './official.inputs';
import { arrivalOf, type TransferredPerson, type TransferredPosting } from './official-transfer';

type TransferQuery = Omit<Prisma.OfficialTransferFindUniqueArgs, 'where'>;
export type TransferKey = { tenantId: string; id: string };

const requestNotFound = () =>
  new AppError(ErrorCode.NOT_FOUND, 'Không tìm thấy đề nghị chuyển công tác.', {
    fieldErrors: [{ field: 'id', message: 'Không tìm thấy đề nghị chuyển công tác' }],
  });

/**
 * Moves a PENDING request this province may answer to `status`, in one statement (two answers at once:
 * the second finds it no longer pending). `as`: which party this province must be.
 */
async function answer(ctx: ProvinceContext, key: TransferKey, as: 'sender' | 'receiver', data: Prisma.OfficialTransferUpdateManyMutationInput) {
  const party = as === 'sender' ? { tenantId: ctx.province.id } : { targetTenantId: ctx.province.id };
  const { count } = await ctx.db.officialTransfer.updateMany({ where: { AND: [key, party, { status: 'PENDING' }] }, data: { ...data, decidedAt: ctx.now } });
  const transfer = await ctx.db.officialTransfer.findFirst({ where: { AND: [key, party] } });
  if (!transfer) throw requestNotFound();
  if (count === 0) throw new AppError(ErrorCode.CONFLICT, 'Đề nghị chuyển công tác đã được trả lời hoặc đã rút; không thể thay đổi.');
  return transfer;
}

/** A node id that names no request answers as one this province cannot see. */
export function requireTransferKey(key: TransferKey | null): TransferKey {
  if (!key) throw requestNotFound();
  return key;
}

const transferKeyWhere = (key: TransferKey) => ({ tenantId_id: key });

/** The receiving province takes the official in: a new record in its directory, with the career sent. */
export async function acceptTransfer(ctx: ProvinceContext, key: TransferKey, input: { email?: string | null }, query: TransferQuery = {}) {
  const province = ctx.province;
  // The receiving province may give the official a mailbox of its own; by default the one sent.
  const email = input.email == null ? null : parseOfficialChanges({ email: input.email }, ctx.now).email;
  const transfer = await answer(ctx, key, 'receiver', { status: 'ACCEPTED' });
  const agency = await ctx.db.agency.findUnique({ where: { tenantId_code: { tenantId: province.id, code: transfer.toAgencyCode } } });
  if (!agency) throw notFound('agency', 'toAgencyCode');
  const mailbox = email ?? transfer.email;
  await assertEmailFree(ctx, province.id, mailbox);

  const arrival = arrivalOf(
    { ...transfer, person: transfer.person as unknown as TransferredPerson, career: transfer.career as unknown as TransferredPosting[] },
    { tenantId: province.id, provinceName: province.name, agencyId: agency.id, agencyName: agency.name, email: mailbox },
  );
  const official = await ctx.db.official.create({ data: arrival.official });
  await ctx.db.workHistoryEntry.createMany({ data: arrival.postings(official.id) });
  await ctx.db.officialTransfer.update({ where: transferKeyWhere(key), data: { targetOfficialId: official.id } });

  await withinProvince(ctx.db, transfer.tenantId, province.id, async () => {
    const closed = await ctx.db.official.updateMany({ where: { tenantId: transfer.tenantId, id: transfer.officialId, status: 'WORKING' }, data: { status: 'TRANSFERRED' } });
    // A pending request holds the record (no move, no retirement): this only guards against SQL done by hand.
    if (closed.count !== 1) throw new AppError(ErrorCode.CONFLICT, 'Hồ sơ cán bộ ở tỉnh chuyển đi không còn đang công tác; không thể tiếp nhận.');
    await closeOpenPosting(ctx, transfer.officialId, transfer.effectiveOn, `Chuyển công tác đến ${transfer.toAgencyName}, ${transfer.toProvinceName}`);
    await ctx.db.officialRole.deleteMany({ where: { officialId: transfer.officialId } });
  });
  return ctx.db.officialTransfer.findUniqueOrThrow({ ...query, where: transferKeyWhere(key) });
}

export async function refuseTransfer(ctx: ProvinceContext, key: TransferKey, reason: string, query: TransferQuery = {}) {
  const refusalReason = reason.normalize('NFC').trim();
  if (!refusalReason) throw invalidInput([{ field: 'reason', message: 'Hãy nêu lý do từ chối' }]);
  if (refusalReason.length > 1000) throw invalidInput([{ field: 'reason', message: 'Lý do từ chối dài quá 1000 ký tự' }]);
  await answer(ctx, key, 'receiver', { status: 'REFUSED', refusalReason });
  return ctx.db.officialTransfer.findUniqueOrThrow({ ...query, where: transferKeyWhere(key) });
}

/** The sending province takes its request back while it waits; the official stays as they are. */
export async function withdrawTransfer(ctx: ProvinceContext, key: TransferKey, query: TransferQuery = {}) {
  await answer(ctx, key, 'sender', { status: 'WITHDRAWN' });
  return ctx.db.officialTransfer.findUniqueOrThrow({ ...query, where: transferKeyWhere(key) });
}
