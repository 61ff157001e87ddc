// What a file may be, by kind: who uploads it, how big it may be, which types it may have (sniffed
// from its first bytes by magic-bytes.js, never taken from the client's Content-Type), and the name
// it is stored under. Pure.
import { filetypeinfo } from 'magic-bytes.js';
import type { FileKind } from '../../generated/prisma/enums';
import { normaliseInputText } from '../../kernel/input-text';

/** A file's bytes are stored in pieces of this size (the last one shorter). */
export const CHUNK_BYTES = 256 * 1024;

/** Enough of the start of a file for every signature we allow. */
export const SNIFF_BYTES = 4096;

export const MAX_FILE_NAME_LENGTH = 255;

export interface FileType {
  mime: string;
  extension: string;
}

const PDF: FileType = { mime: 'application/pdf', extension: 'pdf' };
const JPEG: FileType = { mime: 'image/jpeg', extension: 'jpg' };
const PNG: FileType = { mime: 'image/png', extension: 'png' };
const DOC: FileType = { mime: 'application/msword', extension: 'doc' };
const DOCX: FileType = { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' };
const XLS: FileType = { mime: 'application/vnd.ms-excel', extension: 'xls' };
const XLSX: FileType = { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' };
const ODT: FileType = { mime: 'application/vnd.oasis.opendocument.text', extension: 'odt' };
const ODS: FileType = { mime: 'application/vnd.oasis.opendocument.spreadsheet', extension: 'ods' };

/**
 * The types each kind accepts. Papers are scans and filled-in forms; a result is what the applicant
 * keeps (a signed PDF, or a scan); an official document is a signed PDF or the draft being worked on.
 */
export const ALLOWED_TYPES: Record<FileKind, readonly FileType[]> = {
  DOSSIER_PAPER: [PDF, JPEG, PNG, DOC, DOCX, XLS, XLSX, ODT, ODS],
  DOSSIER_RESULT: [PDF, JPEG, PNG],
  DOCUMENT: [PDF, DOC, DOCX, ODT, XLS, XLSX],
};

export type Uploader = 'official' | 'citizen';

/** Who may upload each kind: citizens only the papers of their own applications. */
export const UPLOADERS: Record<FileKind, readonly Uploader[]> = {
  DOSSIER_PAPER: ['official', 'citizen'],
  DOSSIER_RESULT: ['official'],
  DOCUMENT: ['official'],
};

const extensionOf = (name: string) => /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase() ?? '';

/**
 * The allowed type of `kind` that the head of a file is, or null. A signature several types share
 * (a ZIP is also a DOCX, an XLSX, an ODT; an OLE file is a DOC or an XLS) is told apart by the name's
 * extension among the allowed ones; the name alone never makes a type.
 */
export function sniffAllowedType(kind: FileKind, head: Uint8Array, name: string): FileType | null {
  const candidates = new Set(filetypeinfo(head).map((info) => info.mime).filter((mime): mime is string => Boolean(mime)));
  const allowed = ALLOWED_TYPES[kind].filter((type) => candidates.has(type.mime));
  if (!allowed.length) return null;
  const extension = extensionOf(name);
  return allowed.find((type) => type.extension === extension || (type === JPEG && extension === 'jpeg')) ?? (allowed.length === 1 ? allowed[0] : null);
}

/** What the types of a kind are called in a message to people. */
export const allowedTypesText = (kind: FileKind) => ALLOWED_TYPES[kind].map((type) => type.extension.toUpperCase()).join(', ');

/**
 * The name a file is stored and downloaded under: the last part of a path, NFC, no control
 * characters, at most 255 characters; null when nothing is left.
 */
export function cleanFileName(raw: string): string | null {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const text = normaliseInputText(base.replace(/\p{Cc}/gu, ''), MAX_FILE_NAME_LENGTH);
  if (!text.ok) return null;
  const name = text.text.trim();
  return name && name !== '.' && name !== '..' ? name : null;
}

/** Content-Disposition for a download: the name as RFC 6266 / 5987 carry UTF-8, with an ASCII fallback. */
export function contentDisposition(name: string): string {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
