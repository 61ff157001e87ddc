// The files' HTTP side, beside /graphql: POST /files streams an upload in and answers its id, which
// mutations then take; GET /files/:id streams a file out to a caller who may read it. Bytes go in and
// out a chunk (256 kB) at a time, each chunk its own short unit of work in the caller's scope: a
// 50 MB upload never sits whole in memory, and a slow client holds a socket, not a pooled connection.
// An upload refused or abandoned part-way is removed at once; one the process could not remove (it
// stopped) is removed by the job scheduled with it.
import crypto from 'node:crypto';
import express from 'express';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Platform, ProvinceContext, WorkContext } from '../../context/context';
import { createContext, runUnitOfWork } from '../../context/context';
import { createConcurrencyGate } from '../../server/concurrency-gate';
import { AppError, ErrorCode } from '../../errors';
import { answerError } from '../../server/http-defaults';
import { FileKind } from '../../generated/prisma/enums';
import { CHUNK_BYTES, SNIFF_BYTES, allowedTypesText, cleanFileName, contentDisposition, sniffAllowedType } from './file-rules';
import { beginUpload, fileStore, fileToRead, finishUpload, removeUnattached, uploaderOf, type FileView } from './file.service';

export interface FileRouteDeps {
  platform: Platform;
  /** The caller of an HTTP request, as /graphql identifies it (token, X-Province, host; rate limits). */
  identify(req: express.Request, res: express.Response): Promise<WorkContext>;
}

/** Where a file is downloaded from: what the API's File.downloadUrl says. */
export const downloadPath = (fileId: string) => `/files/${fileId}`;

/** Chunks one unit of work stores: 1 MB. */
const CHUNKS_PER_UNIT = 4;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const maxBytesOf = (platform: Platform, kind: FileKind) =>
  ({ DOSSIER_PAPER: platform.config.FILE_MAX_MB_DOSSIER_PAPER, DOSSIER_RESULT: platform.config.FILE_MAX_MB_DOSSIER_RESULT, DOCUMENT: platform.config.FILE_MAX_MB_DOCUMENT })[kind] * 1024 * 1024;

const megabytesText = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('vi-VN')} MB`;

export function fileRoutes(deps: FileRouteDeps): express.Router {
  const { platform } = deps;
  const uploads = createConcurrencyGate({ limit: platform.config.FILE_UPLOADS_PER_PROVINCE, maxWaitMs: 0, maxQueued: 0 });
  const router = express.Router();

  /** One unit of work of the request's caller, within the province's share of connections. */
  async function unit<T>(base: WorkContext, fn: (ctx: WorkContext) => Promise<T>): Promise<T> {
    const ctx = createContext(platform, base, { route: 'files' });
    await platform.services.fairShare.enter(ctx);
    try {
      return await runUnitOfWork(ctx, fn);
    } finally {
      platform.services.fairShare.leave(ctx);
    }
  }

  router.post('/files', async (req, res) => {
    let base: WorkContext | null = null;
    let release: (() => void) | null = null;
    let fileId: string | null = null;
    let finished = false;
    try {
      base = await deps.identify(req, res);
      const kind = String(req.query.kind ?? '');
      if (!(kind in FileKind)) {
        throw new AppError(ErrorCode.BAD_USER_INPUT, `Loại tệp (kind) phải là một trong: ${Object.keys(FileKind).join(', ')}.`, { fieldErrors: [{ field: 'kind', message: 'Loại tệp không hợp lệ' }] });
      }
      const fileKind = kind as FileKind;
      const province = uploaderOf(base, fileKind).province;
      const name = cleanFileName(typeof req.query.name === 'string' ? req.query.name : '');
      if (!name) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Cần tên tệp (tham số name).', { fieldErrors: [{ field: 'name', message: 'Tên tệp trống hoặc quá 255 ký tự' }] });
      const maxBytes = maxBytesOf(platform, fileKind);
      const tooLarge = () => new AppError('FILE_TOO_LARGE', `Tệp vượt quá dung lượng cho phép ${megabytesText(maxBytes)}.`, { maxBytes });
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > maxBytes) throw tooLarge();
      release = await uploads.acquire(province.id);
      if (!release) throw new AppError('UPLOADS_BUSY', 'Hệ thống đang nhận nhiều tệp của tỉnh/thành phố; vui lòng thử lại sau ít phút.', { retryAfterSeconds: 5 });

      const expiresAt = new Date(platform.clock().getTime() + platform.config.FILE_UNATTACHED_MINUTES * 60_000);
      fileId = await unit(base, (ctx) => beginUpload(uploaderOf(ctx, fileKind), { kind: fileKind, name }, expiresAt));
      // A client that goes away part-way leaves nothing: the loop below stops, the catch removes it.
      const hash = crypto.createHash('sha256');
      let size = 0;
      let seq = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let mimeType: string | null = null;
      let batch: Buffer[] = [];
      // A unit of work stores a few chunks: fewer transactions, still a bounded amount held.
      const store = async () => {
        const chunks = batch;
        batch = [];
        const first = seq;
        seq += chunks.length;
        if (chunks.length) await unit(base!, (ctx) => fileStore.storeChunks(uploaderOf(ctx, fileKind), fileId!, first, chunks));
      };
      const take = async (bytes: Buffer) => {
        if (mimeType === null) {
          const type = sniffAllowedType(fileKind, bytes.subarray(0, SNIFF_BYTES), name);
          if (!type) throw new AppError('FILE_TYPE_NOT_ALLOWED', `Định dạng tệp không được chấp nhận. Định dạng cho phép: ${allowedTypesText(fileKind)}.`, { allowedTypes: allowedTypesText(fileKind).split(', ') });
          mimeType = type.mime;
        }
        batch.push(bytes);
        if (batch.length === CHUNKS_PER_UNIT) await store();
      };
      // Not destroyed when the loop stops early: a refusal part-way is still answered (then the connection closes).
      for await (const piece of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        size += piece.length;
        if (size > maxBytes) throw tooLarge();
        hash.update(piece);
        pending.push(piece);
        pendingBytes += piece.length;
        while (pendingBytes >= CHUNK_BYTES) {
          const joined = Buffer.concat(pending, pendingBytes);
          await take(Buffer.from(joined.subarray(0, CHUNK_BYTES)));
          pending = [joined.subarray(CHUNK_BYTES)];
          pendingBytes -= CHUNK_BYTES;
        }
      }
      if (!req.complete) throw new Error('upload aborted by the client');
      if (size === 0) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Tệp rỗng.', { fieldErrors: [{ field: 'body', message: 'Tệp không có nội dung' }] });
      if (pendingBytes > 0) await take(Buffer.concat(pending, pendingBytes));
      await store();
      const measured = { mimeType: mimeType!, sizeBytes: size, sha256: hash.digest('hex') };
      const view: FileView = await unit(base, (ctx) => finishUpload(uploaderOf(ctx, fileKind), fileId!, measured));
      finished = true;
      res.status(201).setHeader('cache-control', 'no-store').json(uploadAnswer(view));
    } catch (error) {
      if (fileId && !finished && base) {
        const id = fileId;
        await unit(base, (ctx) => removeUnattached(ctx as ProvinceContext, id)).catch((failure: unknown) => base!.log.warn({ err: failure, fileId: id }, 'removing a refused upload failed: its scheduled removal will'));
      }
      const requestId = base?.requestId ?? (error as { requestId?: string }).requestId ?? '';
      if (!req.socket.destroyed) {
        // The client may still be sending: answer, then close the connection rather than read the rest.
        if (!req.complete) {
          res.setHeader('connection', 'close');
          res.once('finish', () => req.socket.destroySoon());
        }
        answerError(res, error, requestId, base?.log ?? platform.logger);
      }
    } finally {
      release?.();
    }
  });

  router.get('/files/:id', async (req, res) => {
    let base: WorkContext | null = null;
    try {
      base = await deps.identify(req, res);
      const id = req.params.id;
      if (!UUID.test(id)) throw new AppError(ErrorCode.NOT_FOUND, 'Không tìm thấy tệp, hoặc bạn không có quyền xem tệp này.');
      const fileId = id.toLowerCase();
      const file = await unit(base, (ctx) => fileToRead(ctx, fileId));
      res.status(200);
      res.setHeader('content-type', file.mimeType ?? 'application/octet-stream');
      res.setHeader('content-length', String(file.sizeBytes ?? 0));
      res.setHeader('content-disposition', contentDisposition(file.name));
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('cache-control', 'private, no-store');
      res.setHeader('etag', `"${file.sha256}"`);
      for (let seq = 0; seq < file.chunks; seq++) {
        if (res.destroyed) return;
        const bytes = await unit(base, (ctx) => fileStore.readChunk(ctx, file, seq));
        // Backpressure: the next chunk is read once the client has taken this one.
        if (!res.write(bytes)) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
      }
      res.end();
    } catch (error) {
      answerError(res, error, base?.requestId ?? (error as { requestId?: string }).requestId ?? '', base?.log ?? platform.logger);
    }
  });

  return router;
}

/** What an upload answers: the id mutations take (a GraphQL global ID) and where to download it. */
export function uploadAnswer(view: FileView) {
  return {
    id: encodeGlobalID('File', view.id),
    fileId: view.id,
    kind: view.kind,
    name: view.name,
    mimeType: view.mimeType,
    sizeBytes: view.sizeBytes,
    sha256: view.sha256,
    downloadUrl: downloadPath(view.id),
  };
}
