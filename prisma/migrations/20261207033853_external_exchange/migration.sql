-- CreateEnum
CREATE TYPE "DeliveryState" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- AlterTable
ALTER TABLE "document_envelope" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "delivered_at" TIMESTAMPTZ(3),
ADD COLUMN     "delivery_state" "DeliveryState",
ADD COLUMN     "external_recipient_code" TEXT,
ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3),
ALTER COLUMN "recipient_tenant_id" DROP NOT NULL,
ALTER COLUMN "recipient_agency_id" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "document_envelope_document_id_external_recipient_code_key" ON "document_envelope"("document_id", "external_recipient_code");

-- ---------------------------------------------------------------- grants, the constraint, the sides
-- An envelope names a recipient on the platform (province and agency) or one outside it (its code on
-- the national exchange), never both nor neither (a trigger: Prisma's schema engine cannot read a
-- CHECK constraint here). The outbox's columns are the sender's province's
-- to write (its job acts for the peer outside); for such an envelope the sender also records what
-- the peer answered (received, refused).

CREATE FUNCTION document_envelope_one_recipient() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT ((NEW.recipient_tenant_id IS NOT NULL AND NEW.recipient_agency_id IS NOT NULL AND NEW.external_recipient_code IS NULL)
       OR (NEW.recipient_tenant_id IS NULL AND NEW.recipient_agency_id IS NULL AND NEW.external_recipient_code IS NOT NULL)) THEN
    RAISE EXCEPTION 'an envelope names one recipient: on the platform or outside it' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER document_envelope_one_recipient BEFORE INSERT OR UPDATE ON "document_envelope" FOR EACH ROW EXECUTE FUNCTION document_envelope_one_recipient();
GRANT UPDATE ("delivery_state", "attempts", "last_error", "next_attempt_at", "delivered_at") ON "document_envelope" TO egov_app;

CREATE OR REPLACE FUNCTION document_envelope_sides() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  acting uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;
  sender boolean := acting = OLD.sender_tenant_id;
  recipient boolean := acting = OLD.recipient_tenant_id;
BEGIN
  -- The owner (migrations, maintenance) acts outside any province.
  IF acting IS NULL THEN RETURN NEW; END IF;
  -- Outside the platform the sender's province records the peer's answers.
  IF OLD.recipient_tenant_id IS NULL THEN
    IF NOT sender THEN RAISE EXCEPTION 'only the sender writes an envelope to a recipient outside the platform' USING ERRCODE = '42501'; END IF;
    RETURN NEW;
  END IF;
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
