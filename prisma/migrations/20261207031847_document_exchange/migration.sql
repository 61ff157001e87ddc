-- CreateEnum
CREATE TYPE "EnvelopeStatus" AS ENUM ('WAITING', 'REFUSED', 'RECEIVED', 'ASSIGNED', 'IN_PROGRESS', 'DONE', 'RECALLED');

-- CreateEnum
CREATE TYPE "EnvelopeUpdateState" AS ENUM ('SENT', 'ACCEPTED', 'REFUSED');

-- AlterTable
ALTER TABLE "incoming_document" ADD COLUMN     "envelope_id" UUID;

-- CreateTable
CREATE TABLE "document_envelope" (
    "id" UUID NOT NULL,
    "sender_tenant_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "sender_agency_name" TEXT NOT NULL,
    "recipient_tenant_id" UUID NOT NULL,
    "recipient_agency_id" UUID NOT NULL,
    "recipient_agency_name" TEXT NOT NULL,
    "status" "EnvelopeStatus" NOT NULL DEFAULT 'WAITING',
    "symbol" TEXT NOT NULL,
    "type" "DocumentType" NOT NULL,
    "issued_on" DATE NOT NULL,
    "summary" TEXT NOT NULL,
    "urgency" "DocumentUrgency" NOT NULL,
    "confidentiality" "DocumentConfidentiality" NOT NULL,
    "file_id" UUID,
    "refusal_reason" TEXT,
    "update_state" "EnvelopeUpdateState",
    "update_note" TEXT,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "document_envelope_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "document_envelope_recipient_tenant_id_recipient_agency_id_s_idx" ON "document_envelope"("recipient_tenant_id", "recipient_agency_id", "status");

-- CreateIndex
CREATE INDEX "document_envelope_sender_tenant_id_document_id_idx" ON "document_envelope"("sender_tenant_id", "document_id");

-- CreateIndex
CREATE INDEX "document_envelope_file_id_idx" ON "document_envelope"("file_id");

-- CreateIndex
CREATE UNIQUE INDEX "document_envelope_document_id_recipient_tenant_id_recipient_key" ON "document_envelope"("document_id", "recipient_tenant_id", "recipient_agency_id");

-- AddForeignKey
ALTER TABLE "document_envelope" ADD CONSTRAINT "document_envelope_sender_tenant_id_fkey" FOREIGN KEY ("sender_tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_envelope" ADD CONSTRAINT "document_envelope_recipient_tenant_id_fkey" FOREIGN KEY ("recipient_tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_envelope" ADD CONSTRAINT "document_envelope_sender_tenant_id_document_id_fkey" FOREIGN KEY ("sender_tenant_id", "document_id") REFERENCES "official_document"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- grants and row-level security
-- An envelope crosses provinces: exactly its two parties see it (a third province, or no province,
-- sees nothing), only the sender's province writes one, and each side changes only its own part
-- (the trigger below): the sender recalls and sends updates, the recipient refuses, receives,
-- reports its handling and answers updates. Nothing is deleted.
GRANT SELECT, INSERT ON "document_envelope" TO egov_app;
GRANT UPDATE ("status", "refusal_reason", "update_state", "update_note", "changed_at") ON "document_envelope" TO egov_app;
GRANT UPDATE ("envelope_id") ON "incoming_document" TO egov_app;

ALTER TABLE "document_envelope" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "document_envelope" FORCE ROW LEVEL SECURITY;
CREATE POLICY envelope_parties ON "document_envelope"
  USING (NULLIF(current_setting('app.tenant_id', true), '')::uuid IN (sender_tenant_id, recipient_tenant_id))
  WITH CHECK (NULLIF(current_setting('app.tenant_id', true), '')::uuid IN (sender_tenant_id, recipient_tenant_id));
CREATE POLICY envelope_sent_by_sender ON "document_envelope" AS RESTRICTIVE FOR INSERT
  WITH CHECK (sender_tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

CREATE FUNCTION document_envelope_sides() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  acting uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;
  sender boolean := acting = OLD.sender_tenant_id;
  recipient boolean := acting = OLD.recipient_tenant_id;
BEGIN
  -- The owner (migrations, maintenance) acts outside any province.
  IF acting IS NULL THEN RETURN NEW; END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF NEW.status = 'RECALLED' AND NOT sender THEN RAISE EXCEPTION 'only the sender recalls an envelope' USING ERRCODE = '42501'; END IF;
    IF NEW.status <> 'RECALLED' AND NOT recipient THEN RAISE EXCEPTION 'only the recipient reports its handling' USING ERRCODE = '42501'; END IF;
  END IF;
  IF NEW.refusal_reason IS DISTINCT FROM OLD.refusal_reason AND NOT recipient THEN
    RAISE EXCEPTION 'only the recipient refuses an envelope' USING ERRCODE = '42501';
  END IF;
  IF NEW.update_state IS DISTINCT FROM OLD.update_state THEN
    IF NEW.update_state = 'SENT' AND NOT sender THEN RAISE EXCEPTION 'only the sender sends an update' USING ERRCODE = '42501'; END IF;
    IF NEW.update_state <> 'SENT' AND NOT recipient THEN RAISE EXCEPTION 'only the recipient answers an update' USING ERRCODE = '42501'; END IF;
  END IF;
  IF NEW.update_note IS DISTINCT FROM OLD.update_note AND NOT sender THEN
    RAISE EXCEPTION 'only the sender writes an update' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER document_envelope_sides BEFORE UPDATE ON "document_envelope" FOR EACH ROW EXECUTE FUNCTION document_envelope_sides();

-- The recipient reads the file an envelope carries (not recalled), though it is the sender's row.
CREATE POLICY envelope_recipient_reads ON "stored_file" FOR SELECT
  USING (EXISTS (
    SELECT 1 FROM document_envelope e
    WHERE e.file_id = stored_file.id AND e.sender_tenant_id = stored_file.tenant_id AND e.status <> 'RECALLED'
      AND e.recipient_tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY envelope_recipient_reads ON "file_chunk" FOR SELECT
  USING (EXISTS (
    SELECT 1 FROM document_envelope e
    WHERE e.file_id = file_chunk.file_id AND e.sender_tenant_id = file_chunk.tenant_id AND e.status <> 'RECALLED'
      AND e.recipient_tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid));
