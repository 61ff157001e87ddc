-- CreateEnum
CREATE TYPE "FileKind" AS ENUM ('DOSSIER_PAPER', 'DOSSIER_RESULT', 'DOCUMENT');

-- CreateEnum
CREATE TYPE "FileState" AS ENUM ('UPLOADING', 'READY');

-- CreateEnum
CREATE TYPE "DossierFileRole" AS ENUM ('SUBMITTED', 'SUPPLEMENT', 'RESULT');

-- CreateTable
CREATE TABLE "stored_file" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "kind" "FileKind" NOT NULL,
    "state" "FileState" NOT NULL DEFAULT 'UPLOADING',
    "name" TEXT NOT NULL,
    "mime_type" TEXT,
    "size_bytes" INTEGER,
    "sha256" TEXT,
    "uploaded_by" TEXT NOT NULL,
    "agency_id" UUID,
    "uploaded_at" TIMESTAMPTZ(3) NOT NULL,
    "ready_at" TIMESTAMPTZ(3),
    "attached_at" TIMESTAMPTZ(3),

    CONSTRAINT "stored_file_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "file_chunk" (
    "tenant_id" UUID NOT NULL,
    "file_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "file_chunk_pkey" PRIMARY KEY ("tenant_id","file_id","seq")
);

-- CreateTable
CREATE TABLE "dossier_file" (
    "tenant_id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "file_id" UUID NOT NULL,
    "role" "DossierFileRole" NOT NULL,
    "document_code" TEXT,
    "attached_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dossier_file_pkey" PRIMARY KEY ("tenant_id","file_id")
);

-- CreateIndex
CREATE INDEX "stored_file_tenant_id_state_uploaded_at_idx" ON "stored_file"("tenant_id", "state", "uploaded_at");

-- CreateIndex
CREATE INDEX "dossier_file_tenant_id_dossier_id_idx" ON "dossier_file"("tenant_id", "dossier_id");

-- AddForeignKey
ALTER TABLE "stored_file" ADD CONSTRAINT "stored_file_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "file_chunk" ADD CONSTRAINT "file_chunk_tenant_id_file_id_fkey" FOREIGN KEY ("tenant_id", "file_id") REFERENCES "stored_file"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier_file" ADD CONSTRAINT "dossier_file_tenant_id_dossier_id_fkey" FOREIGN KEY ("tenant_id", "dossier_id") REFERENCES "dossier"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier_file" ADD CONSTRAINT "dossier_file_tenant_id_file_id_fkey" FOREIGN KEY ("tenant_id", "file_id") REFERENCES "stored_file"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- grants and row-level security
-- A file is its province's: the app adds files and chunks, finishes an upload (its measured columns),
-- marks it taken, and removes what was abandoned (the chunks go with it). What a file holds and who
-- uploaded it never change. A dossier's files are added, never taken back.
GRANT SELECT, INSERT, DELETE ON "stored_file" TO egov_app;
GRANT UPDATE ("state", "mime_type", "size_bytes", "sha256", "ready_at", "attached_at") ON "stored_file" TO egov_app;
GRANT SELECT, INSERT, DELETE ON "file_chunk" TO egov_app;
GRANT SELECT, INSERT ON "dossier_file" TO egov_app;

ALTER TABLE "stored_file" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "stored_file" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "stored_file"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE "file_chunk" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "file_chunk" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "file_chunk"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE "dossier_file" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "dossier_file" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "dossier_file"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
