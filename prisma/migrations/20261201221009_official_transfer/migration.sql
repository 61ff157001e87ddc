-- CreateEnum
CREATE TYPE "OfficialTransferStatus" AS ENUM ('PENDING', 'ACCEPTED', 'REFUSED', 'WITHDRAWN');

-- CreateTable
CREATE TABLE "official_transfer" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "official_id" UUID NOT NULL,
    "target_tenant_id" UUID NOT NULL,
    "status" "OfficialTransferStatus" NOT NULL DEFAULT 'PENDING',
    "full_name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "from_province_name" TEXT NOT NULL,
    "from_agency_name" TEXT NOT NULL,
    "from_position" TEXT NOT NULL,
    "to_province_name" TEXT NOT NULL,
    "to_agency_code" TEXT NOT NULL,
    "to_agency_name" TEXT NOT NULL,
    "position" TEXT NOT NULL,
    "effective_on" DATE NOT NULL,
    "decision_number" TEXT,
    "person" JSONB NOT NULL,
    "career" JSONB NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "refusal_reason" TEXT,
    "target_official_id" UUID,

    CONSTRAINT "official_transfer_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "official_transfer_tenant_id_official_id_idx" ON "official_transfer"("tenant_id", "official_id");

-- CreateIndex
CREATE INDEX "official_transfer_target_tenant_id_status_idx" ON "official_transfer"("target_tenant_id", "status");

-- AddForeignKey
ALTER TABLE "official_transfer" ADD CONSTRAINT "official_transfer_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "official_transfer" ADD CONSTRAINT "official_transfer_target_tenant_id_fkey" FOREIGN KEY ("target_tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "official_transfer" ADD CONSTRAINT "official_transfer_tenant_id_official_id_fkey" FOREIGN KEY ("tenant_id", "official_id") REFERENCES "official"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- grants and row-level security
-- A transfer has two parties: the sending province owns the row (tenant_id, its official), the
-- receiving one (target_tenant_id) sees it and answers it. The app reads and adds requests and may
-- change only the answer's columns: who is moved, where and from whom stay as the sender wrote them.
-- No DELETE: a request is withdrawn, never erased.
GRANT SELECT, INSERT ON "official_transfer" TO egov_app;
GRANT UPDATE ("status", "decided_at", "refusal_reason", "target_official_id") ON "official_transfer" TO egov_app;

ALTER TABLE "official_transfer" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "official_transfer" FORCE ROW LEVEL SECURITY;
-- Either party sees and updates the row; a third province sees nothing, no setting sees nothing.
CREATE POLICY transfer_parties ON "official_transfer"
  USING (NULLIF(current_setting('app.tenant_id', true), '')::uuid IN (tenant_id, target_tenant_id))
  WITH CHECK (NULLIF(current_setting('app.tenant_id', true), '')::uuid IN (tenant_id, target_tenant_id));
-- Only the sending province asks: a province cannot write a request that moves another's official.
CREATE POLICY transfer_asked_by_sender ON "official_transfer" AS RESTRICTIVE FOR INSERT
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
