// The national exchange reports what a recipient outside the platform did with a document sent to it
// (POST /exchange/status, behind NATIONAL_EXCHANGE_CALLBACK_TOKEN): received, refused, assigned, in
// progress, done. The report moves the envelope along the same table as an on-platform recipient's
// (the exchange acts as the recipient), in the sender's province, as the system; the issuer's
// officials see it live. A report repeated (the exchange retries) answers as the first did.
import crypto from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { systemContext, type Platform } from '../../context/context';
import { AppError, ErrorCode, invalidInput } from '../../errors';
import { answerError } from '../../server/http-defaults';
import { fieldErrorsOf } from '../../kernel/field-errors';
import { envelopeLifecycle, updateLifecycle, type EnvelopeAction } from './document-lifecycle';
import { publishEnvelopeEvent } from './document-events';
import { EVENT_COLUMNS } from './exchange.service';

const REPORTED: Record<string, EnvelopeAction> = { RECEIVED: 'RECEIVE', REFUSED: 'REFUSE', ASSIGNED: 'REPORT_ASSIGNED', IN_PROGRESS: 'REPORT_IN_PROGRESS', DONE: 'REPORT_DONE' };
const UPDATE_ANSWER = { UPDATE_ACCEPTED: 'ACCEPT_UPDATE', UPDATE_REFUSED: 'REFUSE_UPDATE' } as const;

const report = z.object({
  MessageId: z.string().uuid('MessageId là mã văn bản liên thông đã gửi'),
  /** The sender's province, as the envelope's From.Province.GsoCode gave it. */
  Province: z.string().trim().min(1).max(60),
  Status: z.enum(['RECEIVED', 'REFUSED', 'ASSIGNED', 'IN_PROGRESS', 'DONE', 'UPDATE_ACCEPTED', 'UPDATE_REFUSED']),
  Reason: z.string().trim().max(2000).optional(),
});

const digest = (value: string) => crypto.createHash('sha256').update(value).digest();

export function exchangeCallbackRoutes(platform: Platform): express.Router {
  const router = express.Router();
  const token = platform.config.NATIONAL_EXCHANGE_CALLBACK_TOKEN;
  const expected = token ? digest(`Bearer ${token}`) : null;

  router.post('/exchange/status', express.json({ limit: '16kb' }), async (req, res) => {
    const requestId = String(res.locals.requestId ?? crypto.randomUUID());
    try {
      if (!expected) throw new AppError(ErrorCode.NOT_FOUND, 'Không có tài nguyên nào tại đường dẫn này.');
      if (!crypto.timingSafeEqual(digest(req.get('authorization') ?? ''), expected)) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Cần mã truy cập của trục liên thông.');
      const parsed = report.safeParse(req.body);
      if (!parsed.success) throw invalidInput(fieldErrorsOf(parsed.error));
      const { MessageId, Province, Status, Reason } = parsed.data;
      if ((Status === 'REFUSED' || Status === 'UPDATE_REFUSED') && !Reason) throw invalidInput([{ field: 'Reason', message: 'Cần lý do từ chối' }]);
      const province = await platform.provinces.find(Province);
      if (!province) throw new AppError(ErrorCode.PROVINCE_NOT_FOUND, 'Không tìm thấy tỉnh/thành phố gửi.');
      const status = await systemContext(platform, province, 'national exchange status report', async (ctx) => {
        const envelope = await ctx.db.documentEnvelope.findFirst({ where: { id: MessageId, senderTenantId: province.id, externalRecipientCode: { not: null } }, select: EVENT_COLUMNS });
        if (!envelope) throw new AppError(ErrorCode.NOT_FOUND, 'Không có văn bản liên thông này.');
        if (Status === 'UPDATE_ACCEPTED' || Status === 'UPDATE_REFUSED') {
          const answer = UPDATE_ANSWER[Status];
          const state = (await ctx.db.documentEnvelope.findUniqueOrThrow({ where: { id: envelope.id }, select: { updateState: true } })).updateState ?? 'NONE';
          const reported = Status === 'UPDATE_ACCEPTED' ? 'ACCEPTED' : 'REFUSED';
          if (state === reported) return Status; // the same report again
          const planned = updateLifecycle.plan(state, answer, ['RECIPIENT'], Reason ? ['note'] : []);
          if (!planned.ok) throw new AppError('TRANSITION_NOT_ALLOWED', 'Không có văn bản cập nhật nào đang chờ trả lời.', { status: envelope.status });
          await ctx.db.documentEnvelope.updateMany({ where: { id: envelope.id, updateState: 'SENT' }, data: { updateState: reported, changedAt: ctx.now } });
          await publishEnvelopeEvent(ctx.db, 'CHANGED', envelope);
          return Status;
        }
        const plan = envelopeLifecycle.plan(envelope.status, REPORTED[Status], ['RECIPIENT'], Reason ? ['note'] : []);
        if (!plan.ok) {
          if (envelope.status === Status) return envelope.status; // the same report again
          throw new AppError('TRANSITION_NOT_ALLOWED', `Trạng thái ${Status} không tiếp nối trạng thái ${envelope.status}.`, { status: envelope.status });
        }
        const updated = await ctx.db.documentEnvelope.updateMany({
          where: { id: envelope.id, status: envelope.status },
          data: { status: plan.to, changedAt: ctx.now, ...(Status === 'REFUSED' ? { refusalReason: Reason } : {}) },
        });
        if (updated.count === 0) throw new AppError(ErrorCode.CONFLICT, 'Văn bản liên thông vừa được cập nhật; hãy gửi lại.');
        await publishEnvelopeEvent(ctx.db, 'CHANGED', { ...envelope, status: plan.to });
        return plan.to;
      });
      res.status(200).set('cache-control', 'no-store').json({ status });
    } catch (error) {
      answerError(res, error, requestId, platform.logger);
    }
  });
  return router;
}
