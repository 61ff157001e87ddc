-- The issuer of an envelope's document, copied at the send as its name is: the recipient's province
-- reports statuses without seeing the sender's document, and the issuer's officials follow them live.
ALTER TABLE "document_envelope" ADD COLUMN "sender_agency_id" UUID;
UPDATE "document_envelope" e SET "sender_agency_id" = d."issuer_id"
  FROM "official_document" d WHERE d."tenant_id" = e."sender_tenant_id" AND d."id" = e."document_id";
ALTER TABLE "document_envelope" ALTER COLUMN "sender_agency_id" SET NOT NULL;
