// Files in the API: what a file is (its bytes are at downloadUrl, see file.routes.ts) and the papers
// a dossier holds. Uploading is POST /files; mutations take the id it answers.
import { builder } from '../../schema/builder';
import { tenantKey } from '../../kernel/tenant-key';
import { mayReadFile } from './file.service';
import { downloadPath } from './file.routes';

export const FileKindEnum = builder.enumType('FileKind', {
  values: {
    DOSSIER_PAPER: { description: 'A paper submitted with a dossier, at intake or answering a supplement request.' },
    DOSSIER_RESULT: { description: 'The result the applicant receives.' },
    DOCUMENT: { description: 'The file of an official document.' },
  } as const,
});

export const FileRef = builder.prismaNode('StoredFile', {
  variant: 'File',
  description: 'An uploaded file (POST /files). Readable by its uploader, their agency, province admins and whoever may see the dossier that holds it.',
  nullable: true,
  select: { id: true, tenantId: true, uploadedBy: true, agencyId: true, state: true, dossierFile: { select: { dossier: { select: { agencyId: true, assigneeId: true, applicantAccount: true } } } } },
  id: { resolve: (file) => file.id },
  findUnique: (id, ctx) => tenantKey(ctx, id),
  authScopes: (file, ctx) => file.state === 'READY' && mayReadFile(ctx, file),
  fields: (t) => ({
    kind: t.expose('kind', { type: FileKindEnum }),
    name: t.exposeString('name', { description: 'The name it was uploaded under.' }),
    mimeType: t.exposeString('mimeType', { nullable: true, description: 'Sniffed from the content at upload.' }),
    sizeBytes: t.exposeInt('sizeBytes', { nullable: true }),
    sha256: t.exposeString('sha256', { nullable: true, description: 'Hex SHA-256 of the content.' }),
    uploadedAt: t.expose('uploadedAt', { type: 'DateTime' }),
    downloadUrl: t.string({ description: 'GET it with the same Authorization (and X-Province) as the API.', resolve: (file) => downloadPath(file.id) }),
  }),
});

export const DossierFileRoleEnum = builder.enumType('DossierFileRole', {
  values: {
    SUBMITTED: { description: 'Submitted with the application.' },
    SUPPLEMENT: { description: 'Filed answering a supplement request.' },
    RESULT: { description: 'The result, for the applicant to download.' },
  } as const,
});

builder.prismaObject('DossierFile', {
  description: 'A file a dossier holds.',
  fields: (t) => ({
    role: t.expose('role', { type: DossierFileRoleEnum }),
    documentCode: t.exposeString('documentCode', { nullable: true, description: 'Which required document (RequiredDocument.code) it is.' }),
    attachedAt: t.expose('attachedAt', { type: 'DateTime' }),
    file: t.relation('file', { type: FileRef }),
  }),
});

export const DossierPaperInput = builder.inputType('DossierPaperInput', {
  description: 'A paper filed as a file: which required document it is, and the uploaded file (POST /files?kind=DOSSIER_PAPER).',
  fields: (t) => ({
    documentCode: t.string({ required: true, maxLength: 40 }),
    fileId: t.globalID({ required: true, for: [FileRef] }),
  }),
});
