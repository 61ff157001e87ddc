-- CreateEnum
CREATE TYPE "DocumentType" AS ENUM ('NGHI_QUYET', 'QUYET_DINH', 'CHI_THI', 'QUY_CHE', 'QUY_DINH', 'THONG_CAO', 'THONG_BAO', 'HUONG_DAN', 'CHUONG_TRINH', 'KE_HOACH', 'PHUONG_AN', 'DE_AN', 'DU_AN', 'BAO_CAO', 'BIEN_BAN', 'TO_TRINH', 'HOP_DONG', 'CONG_DIEN', 'BAN_GHI_NHO', 'BAN_THOA_THUAN', 'GIAY_UY_QUYEN', 'GIAY_MOI', 'GIAY_GIOI_THIEU', 'GIAY_NGHI_PHEP', 'PHIEU_GUI', 'PHIEU_CHUYEN', 'PHIEU_BAO', 'CONG_VAN');

-- CreateEnum
CREATE TYPE "DocumentUrgency" AS ENUM ('NORMAL', 'KHAN', 'THUONG_KHAN', 'HOA_TOC');

-- CreateEnum
CREATE TYPE "DocumentConfidentiality" AS ENUM ('NORMAL', 'MAT', 'TOI_MAT', 'TUYET_MAT');

-- CreateEnum
CREATE TYPE "DocumentSeries" AS ENUM ('REGULAR', 'NORMATIVE', 'SECRET');

-- CreateEnum
CREATE TYPE "OutgoingStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'APPROVED', 'SIGNED', 'ISSUED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "IncomingStatus" AS ENUM ('WAITING', 'REFUSED', 'RECEIVED', 'ASSIGNED', 'IN_PROGRESS', 'DONE');

-- AlterTable
ALTER TABLE "agency" ADD COLUMN     "document_abbreviation" TEXT;

-- CreateTable
CREATE TABLE "official_document" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "issuer_id" UUID NOT NULL,
    "type" "DocumentType" NOT NULL,
    "normative" BOOLEAN NOT NULL DEFAULT false,
    "drafting_unit" TEXT,
    "summary" TEXT NOT NULL,
    "status" "OutgoingStatus" NOT NULL DEFAULT 'DRAFT',
    "urgency" "DocumentUrgency" NOT NULL DEFAULT 'NORMAL',
    "confidentiality" "DocumentConfidentiality" NOT NULL DEFAULT 'NORMAL',
    "recipients_text" TEXT NOT NULL,
    "file_id" UUID,
    "drafted_by_id" UUID NOT NULL,
    "drafted_by_name" TEXT NOT NULL,
    "signer_id" UUID,
    "signer_name" TEXT,
    "signer_authority" TEXT,
    "signer_position" TEXT,
    "series" "DocumentSeries",
    "year" INTEGER,
    "number" INTEGER,
    "symbol" TEXT,
    "issued_on" DATE,
    "place" TEXT,
    "issued_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "official_document_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "document_counter" (
    "tenant_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "series" "DocumentSeries" NOT NULL,
    "last_value" INTEGER NOT NULL,

    CONSTRAINT "document_counter_pkey" PRIMARY KEY ("tenant_id","agency_id","year","series")
);

-- CreateTable
CREATE TABLE "document_log_entry" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "document_id" UUID,
    "incoming_id" UUID,
    "action" TEXT NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_name" TEXT,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "document_log_entry_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "incoming_document" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "status" "IncomingStatus" NOT NULL,
    "incoming_number" INTEGER,
    "year" INTEGER,
    "source_id" UUID,
    "symbol" TEXT NOT NULL,
    "type" "DocumentType" NOT NULL,
    "issuer_name" TEXT NOT NULL,
    "issued_on" DATE NOT NULL,
    "summary" TEXT NOT NULL,
    "urgency" "DocumentUrgency" NOT NULL DEFAULT 'NORMAL',
    "confidentiality" "DocumentConfidentiality" NOT NULL DEFAULT 'NORMAL',
    "received_at" TIMESTAMPTZ(3),
    "assignee_id" UUID,
    "deadline" DATE,
    "instructions" TEXT,
    "refusal_reason" TEXT,
    "reply_id" UUID,
    "done_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incoming_document_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "incoming_counter" (
    "tenant_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "last_value" INTEGER NOT NULL,

    CONSTRAINT "incoming_counter_pkey" PRIMARY KEY ("tenant_id","agency_id","year")
);

-- CreateIndex
CREATE INDEX "official_document_tenant_id_issuer_id_status_idx" ON "official_document"("tenant_id", "issuer_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "official_document_tenant_id_issuer_id_year_series_number_key" ON "official_document"("tenant_id", "issuer_id", "year", "series", "number");

-- CreateIndex
CREATE INDEX "document_log_entry_tenant_id_document_id_at_idx" ON "document_log_entry"("tenant_id", "document_id", "at");

-- CreateIndex
CREATE INDEX "document_log_entry_tenant_id_incoming_id_at_idx" ON "document_log_entry"("tenant_id", "incoming_id", "at");

-- CreateIndex
CREATE INDEX "incoming_document_tenant_id_agency_id_status_idx" ON "incoming_document"("tenant_id", "agency_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "incoming_document_tenant_id_agency_id_year_incoming_number_key" ON "incoming_document"("tenant_id", "agency_id", "year", "incoming_number");

-- AddForeignKey
ALTER TABLE "official_document" ADD CONSTRAINT "official_document_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "official_document" ADD CONSTRAINT "official_document_tenant_id_issuer_id_fkey" FOREIGN KEY ("tenant_id", "issuer_id") REFERENCES "agency"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_counter" ADD CONSTRAINT "document_counter_tenant_id_agency_id_fkey" FOREIGN KEY ("tenant_id", "agency_id") REFERENCES "agency"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_log_entry" ADD CONSTRAINT "document_log_entry_tenant_id_document_id_fkey" FOREIGN KEY ("tenant_id", "document_id") REFERENCES "official_document"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_log_entry" ADD CONSTRAINT "document_log_entry_tenant_id_incoming_id_fkey" FOREIGN KEY ("tenant_id", "incoming_id") REFERENCES "incoming_document"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incoming_document" ADD CONSTRAINT "incoming_document_tenant_id_agency_id_fkey" FOREIGN KEY ("tenant_id", "agency_id") REFERENCES "agency"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incoming_document" ADD CONSTRAINT "incoming_document_tenant_id_source_id_fkey" FOREIGN KEY ("tenant_id", "source_id") REFERENCES "official_document"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- grants and row-level security
-- Documents are their province's. A document's text and issuer never change once written; its moves
-- change its status and the columns each move fills. Counters are taken by upsert. Nothing is deleted:
-- a document is cancelled, an incoming one refused.
GRANT SELECT, INSERT ON "official_document" TO egov_app;
GRANT UPDATE ("status", "type", "normative", "drafting_unit", "summary", "urgency", "confidentiality", "recipients_text", "file_id",
  "signer_id", "signer_name", "signer_authority", "signer_position", "series", "year", "number", "symbol", "issued_on", "place", "issued_at")
  ON "official_document" TO egov_app;
GRANT SELECT, INSERT, UPDATE ON "document_counter", "incoming_counter" TO egov_app;
GRANT SELECT, INSERT ON "document_log_entry" TO egov_app;
GRANT SELECT, INSERT ON "incoming_document" TO egov_app;
GRANT UPDATE ("status", "incoming_number", "year", "received_at", "assignee_id", "deadline", "instructions", "refusal_reason", "reply_id", "done_at") ON "incoming_document" TO egov_app;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['official_document', 'document_counter', 'document_log_entry', 'incoming_document', 'incoming_counter'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END $$;
