// Files: an upload's row and chunks, finishing and discarding it, who may read it, and a dossier or
// document taking it. Every function runs in the caller's unit of work (`ctx.db`), so row-level
// security keeps each province's files to itself. The HTTP side (file.routes.ts) streams the bytes.
import type { Context, ProvinceContext } from '../../context/context';
import { callerAgency } from '../../context/current-official';
import { AppError, ErrorCode } from '../../errors';
import type { FileKind } from '../../generated/prisma/enums';
import { scheduleJob } from '../../jobs/job-runner';
import { tenantKey } from '../../kernel/tenant-key';
import { canSeeDossier } from '../dossiers/dossier-access';
import { UPLOADERS, type Uploader } from './file-rules';

export const REMOVE_UNATTACHED_TASK = 'files:remove-unattached';

export interface FileView {
  id: string;
  kind: FileKind;
  name: string;
  mimeType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  uploadedAt: Date;
}

const VIEW = { id: true, kind: true, name: true, mimeType: true, sizeBytes: true, sha256: true, uploadedAt: true } as const;

export const fileNotFound = () => new AppError(ErrorCode.NOT_FOUND, 'Không tìm thấy tệp, hoặc bạn không có quyền xem tệp này.');

/** Who the caller uploads as, or why they may not upload this kind. */
export function uploaderOf(ctx: Context, kind: FileKind): ProvinceContext {
  const caller = ctx.caller;
  if (caller.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Vui lòng đăng nhập để tải tệp lên.');
  if (!ctx.province) throw new AppError(ErrorCode.PROVINCE_REQUIRED, 'Hãy chọn tỉnh/thành phố (tiêu đề X-Province hoặc tên miền của tỉnh).');
  if (!(UPLOADERS[kind] as readonly string[]).includes(caller.kind as Uploader)) {
    throw new AppError(ErrorCode.FORBIDDEN, 'Tài khoản không được tải lên loại tệp này.');
  }
  return ctx as ProvinceContext;
}

/**
 * The upload's row, before its bytes. Its removal is scheduled with it: a file no dossier or
 * document has taken by `expiresAt` (or whose upload never finished: the process stopped) goes.
 */
export async function beginUpload(ctx: ProvinceContext, input: { kind: FileKind; name: string }, expiresAt: Date): Promise<string> {
  const agency = await callerAgency(ctx);
  const file = await ctx.db.storedFile.create({
    data: { tenantId: ctx.province.id, kind: input.kind, name: input.name, uploadedBy: uploaderSubject(ctx), agencyId: agency?.id ?? null, uploadedAt: ctx.now },
    select: { id: true },
  });
  await scheduleJob(ctx.db, REMOVE_UNATTACHED_TASK, { tenantId: ctx.province.id, fileId: file.id }, { key: `file:${file.id}`, runAt: expiresAt, maxAttempts: 5 });
  return file.id;
}

const uploaderSubject = (ctx: Context) => (ctx.caller.kind === 'anonymous' || ctx.caller.kind === 'system' ? '' : ctx.caller.subject);

/**
 * Where a file's bytes live, a chunk at a time, in the caller's unit of work. PostgreSQL (file_chunk,
 * under row-level security, backed up with everything else) is the store built; an S3-compatible one
 * would implement the same two calls (with the chunk count kept on the file's row) once a server to
 * test it against installs here.
 */
export interface FileStore {
  /** Chunks `firstSeq`, `firstSeq + 1`, ... of an upload. */
  storeChunks(ctx: ProvinceContext, fileId: string, firstSeq: number, chunks: readonly Buffer[]): Promise<void>;
  /** One chunk's bytes, in order from 0. */
  readChunk(ctx: Context, file: { id: string; tenantId: string }, seq: number): Promise<Buffer>;
}

const INSERT_CHUNK = { name: 'file_chunk_insert', text: 'INSERT INTO file_chunk (tenant_id, file_id, seq, data) VALUES ($1::uuid, $2::uuid, $3::int, $4::bytea) RETURNING seq' };
const SELECT_CHUNK = { name: 'file_chunk_select', text: 'SELECT data FROM file_chunk WHERE tenant_id = $1::uuid AND file_id = $2::uuid AND seq = $3::int' };

/** By SQL, the bytes sent as they are (Prisma's query layer would copy each 256 kB value several times). */
export const postgresFileStore: FileStore = {
  async storeChunks(ctx, fileId, firstSeq, chunks) {
    for (const [offset, data] of chunks.entries()) await ctx.sql.rows(INSERT_CHUNK, [ctx.province.id, fileId, firstSeq + offset, data]);
  },
  async readChunk(ctx, file, seq) {
    const [chunk] = await ctx.sql.rows<{ data: Uint8Array }>(SELECT_CHUNK, [file.tenantId, file.id, seq]);
    if (!chunk) throw new Error(`chunk ${seq} of file ${file.id} is missing`);
    return Buffer.isBuffer(chunk.data) ? chunk.data : Buffer.from(chunk.data);
  },
};

/** The store every module reads and writes files through. */
export const fileStore: FileStore = postgresFileStore;

/** The upload is whole: its measures are written and it may be taken. */
export async function finishUpload(ctx: ProvinceContext, fileId: string, measured: { mimeType: string; sizeBytes: number; sha256: string }): Promise<FileView> {
  return ctx.db.storedFile.update({
    where: tenantKey(ctx, fileId),
    data: { ...measured, state: 'READY', readyAt: ctx.now },
    select: VIEW,
  });
}

/** Removes a file nothing has taken, with its chunks: an abandoned or refused upload, or an expired one. */
export async function removeUnattached(ctx: ProvinceContext, fileId: string): Promise<boolean> {
  const removed = await ctx.db.storedFile.deleteMany({ where: { tenantId: ctx.province.id, id: fileId, attachedAt: null } });
  return removed.count > 0;
}

/**
 * A finished file the caller may read, with its chunk count; NOT_FOUND otherwise (another
 * province's file is not there at all: row-level security). Readers: a province admin, the
 * uploader, officials of the uploader's agency, and whoever may see the dossier that took it (its
 * agency, its assignee, its applicant).
 */
export async function fileToRead(ctx: Context, fileId: string): Promise<FileView & { chunks: number; tenantId: string }> {
  if (!ctx.province) throw fileNotFound();
  // By id alone: row-level security shows this province's files and those an envelope sent to it.
  const file = await ctx.db.storedFile.findFirst({
    where: { id: fileId },
    select: { ...VIEW, tenantId: true, state: true, uploadedBy: true, agencyId: true, dossierFile: { select: { dossier: { select: { agencyId: true, assigneeId: true, applicantAccount: true } } } }, _count: { select: { chunks: true } } },
  });
  if (!file || file.state !== 'READY' || !(await mayReadFile(ctx, file))) throw fileNotFound();
  const { state: _state, uploadedBy: _by, agencyId: _agency, dossierFile: _taken, _count, ...view } = file;
  return { ...view, chunks: _count.chunks };
}

/**
 * Whether the caller may read a file: a province admin, the uploader, officials of the uploader's
 * agency, whoever may see the dossier that took it, and the officials of an agency an exchanged
 * document carrying it was sent to (the envelope, not recalled).
 */
export async function mayReadFile(
  ctx: Context,
  file: { id: string; tenantId?: string; uploadedBy: string; agencyId: string | null; dossierFile: { dossier: { agencyId: string; assigneeId: string | null; applicantAccount: string | null } } | null },
): Promise<boolean> {
  const caller = ctx.caller;
  const own = !file.tenantId || file.tenantId === ctx.province?.id;
  if (own) {
    if (caller.kind === 'platformAdmin') return true;
    if (caller.kind === 'official' && caller.roles.includes('PROVINCE_ADMIN')) return true;
    if ((caller.kind === 'official' || caller.kind === 'citizen') && caller.subject === file.uploadedBy) return true;
    if (caller.kind === 'official' && file.agencyId && (await callerAgency(ctx))?.id === file.agencyId) return true;
    if (file.dossierFile && (await canSeeDossier(ctx, file.dossierFile.dossier))) return true;
  }
  if (caller.kind !== 'official' || !ctx.province) return false;
  const agency = await callerAgency(ctx);
  if (!agency) return false;
  const sent = await ctx.db.documentEnvelope.findFirst({
    where: { fileId: file.id, recipientTenantId: ctx.province.id, recipientAgencyId: agency.id, status: { not: 'RECALLED' } },
    select: { id: true },
  });
  return sent !== null;
}

/**
 * A dossier or document takes files: each must be a finished upload of this kind, by the caller (or,
 * for an official, by their agency), not taken yet. Marked taken in the caller's transaction, so two
 * operations cannot both take one file, and a failed operation takes none.
 */
export async function takeFiles(ctx: ProvinceContext, fileIds: readonly string[], kind: FileKind): Promise<void> {
  const unique = [...new Set(fileIds)];
  if (!unique.length) return;
  const agency = ctx.caller.kind === 'official' ? await callerAgency(ctx) : null;
  const owners = [{ uploadedBy: uploaderSubject(ctx) }, ...(agency ? [{ agencyId: agency.id }] : [])];
  const where = { tenantId: ctx.province.id, id: { in: unique }, kind, state: 'READY' as const, attachedAt: null, OR: owners };
  const usable = await ctx.db.storedFile.findMany({ where, select: { id: true } });
  const taken = await ctx.db.storedFile.updateMany({ where: { ...where, id: { in: usable.map((file) => file.id) } }, data: { attachedAt: ctx.now } });
  if (usable.length !== unique.length || taken.count !== unique.length) {
    const found = new Set(usable.map((file) => file.id));
    throw new AppError('FILE_NOT_USABLE', 'Tệp đính kèm không dùng được: chưa tải lên xong, không phải của bạn, sai loại hoặc đã được dùng.', {
      fileIds: unique.filter((id) => !found.has(id)),
    });
  }
}
