// Documents sent to recipients outside the platform (a ministry, a province on another system) go
// through the national exchange (trục liên thông văn bản quốc gia) by an outbox: the envelope is
// written with the send, in the same transaction as the job that delivers it, so a send that rolls
// back delivers nothing and a delivery that fails never fails the clerk's work. The job posts the
// envelope as JSON named after edXML's parts (below), the envelope id as Idempotency-Key, at least
// once; a refusal from the exchange is the recipient's REFUSED with its reason; a failure to get an
// answer is retried (EXCHANGE_RETRY_BASE_MS × 2ⁿ) up to EXCHANGE_MAX_ATTEMPTS, then FAILED.
//
// The edXML parts mapped: MessageHeader.From (OrganId: the issuer's electronic identifier code,
// OrganName; with the province's GSO code and name), To (OrganId: the recipient's code, OrganName),
// Code (CodeNumber, CodeNotation), PromulgationInfo (Place, PromulgationDate), DocumentType (Type:
// our code, TypeName, Abbreviation), Subject, OtherInfo (Priority: the urgency, SecurityLevel: the
// confidentiality), SignerInfo (Competence: TM./KT./..., Position, FullName), ToPlaces (nơi nhận as
// printed); Attachments (AttachmentName, ContentType, Size, Sha256, Content in base64, streamed).
// Not mapped: ResponseFor (replies), SteeringType, TraceHeaderList (the exchange's own).
import { systemContext, type Platform, type ProvinceContext } from '../../context/context';
import { deliver, retryDelayMs, type DeliverySettings } from '../../jobs/http-delivery';
import { scheduleJob, type JobContext, type JobTasks } from '../../jobs/job-runner';
import type { Db } from '../../db/tenant-scope';
import { fileStore } from '../files/file.service';
import { DOCUMENT_TYPES, SIGNER_AUTHORITIES, type SignerAuthority } from './document-symbol';
import { publishEnvelopeEvent } from './document-events';

export const EXCHANGE_DELIVERY_TASK = 'exchange-delivery';

interface DeliveryJob {
  tenantId: string;
  envelopeId: string;
}

// One province's envelopes go out one at a time, across all workers: an exchange that hangs holds
// one send of that province, not the others'.
const jobOptions = (job: DeliveryJob, runAt?: Date) => ({ queue: `${EXCHANGE_DELIVERY_TASK}:${job.tenantId}`, key: `${EXCHANGE_DELIVERY_TASK}:${job.envelopeId}`, runAt });

/** Schedules an envelope's delivery in the sender's transaction: it exists only if the send commits. */
export const scheduleDelivery = (db: Db, job: DeliveryJob) => scheduleJob(db, EXCHANGE_DELIVERY_TASK, job, jobOptions(job));

/** The envelope as JSON text in parts: the header, then the file's bytes in base64 a chunk at a time. */
async function* envelopeBody(ctx: () => <T>(fn: (ctx: ProvinceContext) => Promise<T>) => Promise<T>, envelope: EnvelopeToSend): AsyncGenerator<string> {
  const { document, file } = envelope;
  const [number, notation] = [document.number, document.symbol?.split('/')[1] ?? null];
  const header = {
    MessageId: envelope.id,
    From: { OrganId: document.issuer.code, OrganName: envelope.senderAgencyName, Province: { GsoCode: envelope.senderTenant.gsoCode, Name: envelope.senderTenant.name } },
    To: { OrganId: envelope.externalRecipientCode, OrganName: envelope.recipientAgencyName },
    Code: { CodeNumber: number, CodeNotation: notation, Symbol: envelope.symbol },
    PromulgationInfo: { Place: document.place, PromulgationDate: envelope.issuedOn.toISOString().slice(0, 10) },
    DocumentType: { Type: envelope.type, TypeName: DOCUMENT_TYPES[envelope.type].name, Abbreviation: DOCUMENT_TYPES[envelope.type].abbreviation },
    Subject: envelope.summary,
    OtherInfo: { Priority: envelope.urgency, SecurityLevel: envelope.confidentiality },
    SignerInfo: {
      Competence: document.signerAuthority ? SIGNER_AUTHORITIES[document.signerAuthority as SignerAuthority] : null,
      Position: document.signerPosition,
      FullName: document.signerName,
    },
    ToPlaces: document.recipientsText,
  };
  const text = JSON.stringify(header);
  if (!file) return yield `${text.slice(0, -1)},"Attachments":[]}`;
  const meta = { AttachmentName: file.name, ContentType: file.mimeType, Size: file.sizeBytes, Sha256: file.sha256 };
  yield `${text.slice(0, -1)},"Attachments":[${JSON.stringify(meta).slice(0, -1)},"Content":"`;
  // base64 in whole groups of three bytes: what is left of a chunk waits for the next one.
  let carry = Buffer.alloc(0);
  const chunks = await ctx()((scope) => scope.db.fileChunk.count({ where: { tenantId: file.tenantId, fileId: file.id } }));
  for (let seq = 0; seq < chunks; seq++) {
    const bytes = Buffer.concat([carry, await ctx()((scope) => fileStore.readChunk(scope, file, seq))]);
    const whole = bytes.length - (bytes.length % 3);
    yield bytes.subarray(0, whole).toString('base64');
    carry = bytes.subarray(whole);
  }
  yield `${carry.toString('base64')}"}]}`;
}

const ENVELOPE_TO_SEND = {
  id: true,
  status: true,
  senderTenantId: true,
  senderAgencyId: true,
  recipientTenantId: true,
  recipientAgencyId: true,
  deliveryState: true,
  outbound: true,
  messageKey: true,
  updateNote: true,
  attempts: true,
  nextAttemptAt: true,
  senderAgencyName: true,
  externalRecipientCode: true,
  recipientAgencyName: true,
  symbol: true,
  type: true,
  issuedOn: true,
  summary: true,
  urgency: true,
  confidentiality: true,
  senderTenant: { select: { gsoCode: true, name: true } },
  document: { select: { number: true, symbol: true, place: true, signerAuthority: true, signerPosition: true, signerName: true, recipientsText: true, issuer: { select: { code: true } } } },
  file: { select: { id: true, tenantId: true, name: true, mimeType: true, sizeBytes: true, sha256: true } },
} as const;

type EnvelopeToSend = NonNullable<Awaited<ReturnType<typeof readEnvelope>>>;
const readEnvelope = (ctx: ProvinceContext, envelopeId: string) =>
  ctx.db.documentEnvelope.findFirst({ where: { id: envelopeId, senderTenantId: ctx.province.id, externalRecipientCode: { not: null } }, select: ENVELOPE_TO_SEND });

/** The job runner's task: delivers one envelope to the national exchange, or schedules its retry. */
export function exchangeDeliveryTasks(options: { platform: Platform; settings: DeliverySettings }): JobTasks {
  const { platform, settings } = options;
  const logger = platform.logger.child({ worker: EXCHANGE_DELIVERY_TASK });
  return {
    async [EXCHANGE_DELIVERY_TASK](payload: unknown, context: JobContext) {
      const job = payload as DeliveryJob;
      const province = await platform.provinces.findById(job.tenantId);
      if (!province) return;
      // Each step its own unit of work as the system in the sender's province; none held while sending.
      const inProvince = <T>(fn: (ctx: ProvinceContext) => Promise<T>) => systemContext(platform, province, 'national document exchange', fn);
      const envelope = await inProvince((ctx) => readEnvelope(ctx, job.envelopeId));
      // Delivered or given up: nothing to send; an envelope recalled or refused before it went is not sent.
      if (!envelope || envelope.deliveryState !== 'PENDING' || context.signal.aborted) return;
      if (envelope.outbound === 'ENVELOPE' && envelope.status !== 'WAITING') return;
      if (envelope.nextAttemptAt && envelope.nextAttemptAt.getTime() > Date.now()) {
        return context.schedule(EXCHANGE_DELIVERY_TASK, job, jobOptions(job, envelope.nextAttemptAt));
      }
      // The envelope itself, or a later message about it (a recall, an update) naming it.
      const body =
        envelope.outbound === 'ENVELOPE'
          ? envelopeBody(() => inProvince, envelope)
          : JSON.stringify({ MessageId: envelope.id, Type: envelope.outbound, To: { OrganId: envelope.externalRecipientCode }, ...(envelope.outbound === 'UPDATE' ? { Note: envelope.updateNote } : {}) });
      const outcome = await deliver(settings, envelope.messageKey ?? envelope.id, body);
      const attempts = envelope.attempts + 1;
      const where = { id: envelope.id, deliveryState: 'PENDING' as const, attempts: envelope.attempts };
      if (outcome.kind === 'acknowledged') {
        await inProvince((ctx) => ctx.db.documentEnvelope.updateMany({ where, data: { attempts, deliveryState: 'DELIVERED', deliveredAt: new Date(), lastError: null, changedAt: new Date() } }));
        return;
      }
      if (outcome.kind === 'rejected' && envelope.outbound !== 'ENVELOPE') {
        // The exchange would not take the recall or the update: an operator looks at its words.
        await inProvince((ctx) => ctx.db.documentEnvelope.updateMany({ where, data: { attempts, deliveryState: 'FAILED', lastError: outcome.reply } }));
        return;
      }
      if (outcome.kind === 'rejected') {
        // The exchange answered: the recipient refuses it (an unknown code, a malformed envelope), with its words.
        await inProvince(async (ctx) => {
          const updated = await ctx.db.documentEnvelope.updateMany({ where, data: { attempts, deliveryState: 'DELIVERED', deliveredAt: new Date(), status: 'REFUSED', refusalReason: outcome.reply, changedAt: new Date() } });
          if (updated.count) await publishEnvelopeEvent(ctx.db, 'CHANGED', { ...envelope, status: 'REFUSED' });
        });
        return;
      }
      const gaveUp = attempts >= settings.maxAttempts;
      const nextAttemptAt = new Date(Date.now() + retryDelayMs(attempts, settings.retryBaseMs));
      await inProvince((ctx) => ctx.db.documentEnvelope.updateMany({ where, data: { attempts, lastError: outcome.error, nextAttemptAt, ...(gaveUp ? { deliveryState: 'FAILED' } : {}) } }));
      logger.warn({ envelopeId: envelope.id, attempts, error: outcome.error, gaveUp }, 'sending to the national exchange failed');
      if (!gaveUp) await context.schedule(EXCHANGE_DELIVERY_TASK, job, jobOptions(job, nextAttemptAt));
    },
  };
}
