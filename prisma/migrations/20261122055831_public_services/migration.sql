-- CreateEnum
CREATE TYPE "PerformingLevel" AS ENUM ('PROVINCE', 'COMMUNE');

-- CreateEnum
CREATE TYPE "ProcessingUnit" AS ENUM ('WORKING_DAYS', 'CALENDAR_DAYS');

-- CreateEnum
CREATE TYPE "OnlineLevel" AS ENUM ('FULL', 'PARTIAL');

-- CreateEnum
CREATE TYPE "CalendarDayKind" AS ENUM ('DAY_OFF', 'WORKING_DAY');

-- CreateEnum
CREATE TYPE "DossierStatus" AS ENUM ('SUBMITTED', 'RECEIVED', 'REFUSED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT', 'WITHDRAWAL_REQUESTED', 'STOPPED', 'RESULT_READY', 'RETURNED');

-- CreateEnum
CREATE TYPE "DossierChannel" AS ENUM ('IN_PERSON', 'ONLINE', 'POSTAL');

-- CreateEnum
CREATE TYPE "ApplicantType" AS ENUM ('CITIZEN', 'BUSINESS', 'STATE_BODY', 'OTHER');

-- CreateEnum
CREATE TYPE "FinishedOutcome" AS ENUM ('EARLY', 'ON_TIME', 'LATE');

-- CreateEnum
CREATE TYPE "SyncState" AS ENUM ('PENDING', 'ACKNOWLEDGED', 'REJECTED', 'FAILED');

-- CreateTable
CREATE TABLE "procedure" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "search_name" TEXT NOT NULL,
    "field_code" TEXT NOT NULL,
    "field_name" TEXT NOT NULL,
    "level" "PerformingLevel" NOT NULL,
    "processing_amount" INTEGER NOT NULL,
    "processing_unit" "ProcessingUnit" NOT NULL,
    "online_processing_amount" INTEGER,
    "online_level" "OnlineLevel" NOT NULL,
    "fees" JSONB NOT NULL,
    "required_documents" JSONB NOT NULL,
    "results" TEXT[],
    "legal_basis" TEXT[],

    CONSTRAINT "procedure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "province_procedure" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "procedure_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "fee_vnd" INTEGER,
    "processing_amount" INTEGER,
    "online_processing_amount" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "province_procedure_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "calendar_day" (
    "tenant_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "kind" "CalendarDayKind" NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "calendar_day_pkey" PRIMARY KEY ("tenant_id","date")
);

-- CreateTable
CREATE TABLE "calendar_year" (
    "tenant_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "filled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_year_pkey" PRIMARY KEY ("tenant_id","year")
);

-- CreateTable
CREATE TABLE "dossier" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "procedure_id" UUID NOT NULL,
    "field_code" TEXT NOT NULL,
    "agency_id" UUID NOT NULL,
    "channel" "DossierChannel" NOT NULL,
    "status" "DossierStatus" NOT NULL,
    "open" BOOLEAN NOT NULL DEFAULT true,
    "applicant_name" TEXT NOT NULL,
    "applicant_id_number" TEXT,
    "applicant_type" "ApplicantType" NOT NULL,
    "applicant_phone" TEXT,
    "applicant_email" TEXT,
    "applicant_address" TEXT,
    "applicant_account" TEXT,
    "representative_name" TEXT,
    "summary" TEXT NOT NULL,
    "documents_provided" TEXT[],
    "fee_vnd" INTEGER NOT NULL DEFAULT 0,
    "paid" BOOLEAN NOT NULL DEFAULT false,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "received_at" TIMESTAMPTZ(3),
    "due_at" TIMESTAMPTZ(3),
    "due_at_before_extension" TIMESTAMPTZ(3),
    "extension_letter" TEXT,
    "paused_at" TIMESTAMPTZ(3),
    "supplement_requests" INTEGER NOT NULL DEFAULT 0,
    "result_ready_at" TIMESTAMPTZ(3),
    "returned_at" TIMESTAMPTZ(3),
    "stopped_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "outcome" "FinishedOutcome",
    "assignee_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dossier_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "dossier_log_entry" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "from_status" "DossierStatus",
    "to_status" "DossierStatus" NOT NULL,
    "actor_role" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_name" TEXT,
    "note" TEXT,
    "step_due_at" TIMESTAMPTZ(3),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dossier_log_entry_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "dossier_counter" (
    "tenant_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "last_value" INTEGER NOT NULL,

    CONSTRAINT "dossier_counter_pkey" PRIMARY KEY ("tenant_id","agency_id","day")
);

-- CreateTable
CREATE TABLE "portal_sync_record" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "dossier_code" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "state" "SyncState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "reply" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "portal_sync_record_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "tracking_attempt" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "failures" INTEGER NOT NULL,

    CONSTRAINT "tracking_attempt_pkey" PRIMARY KEY ("scope","key","window_start")
);

-- CreateIndex
CREATE UNIQUE INDEX "procedure_code_key" ON "procedure"("code");

-- CreateIndex
CREATE INDEX "procedure_field_code_idx" ON "procedure"("field_code");

-- CreateIndex
CREATE INDEX "province_procedure_tenant_id_agency_id_idx" ON "province_procedure"("tenant_id", "agency_id");

-- CreateIndex
CREATE UNIQUE INDEX "province_procedure_tenant_id_procedure_id_agency_id_key" ON "province_procedure"("tenant_id", "procedure_id", "agency_id");

-- CreateIndex
CREATE INDEX "dossier_tenant_id_agency_id_open_due_at_id_idx" ON "dossier"("tenant_id", "agency_id", "open", "due_at", "id");

-- CreateIndex
CREATE INDEX "dossier_tenant_id_assignee_id_open_due_at_id_idx" ON "dossier"("tenant_id", "assignee_id", "open", "due_at", "id");

-- CreateIndex
CREATE INDEX "dossier_tenant_id_received_at_idx" ON "dossier"("tenant_id", "received_at");

-- CreateIndex
CREATE INDEX "dossier_tenant_id_ended_at_idx" ON "dossier"("tenant_id", "ended_at");

-- CreateIndex
CREATE INDEX "dossier_tenant_id_open_received_at_idx" ON "dossier"("tenant_id", "open", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "dossier_tenant_id_code_key" ON "dossier"("tenant_id", "code");

-- CreateIndex
CREATE INDEX "dossier_log_entry_tenant_id_dossier_id_at_idx" ON "dossier_log_entry"("tenant_id", "dossier_id", "at");

-- CreateIndex
CREATE INDEX "portal_sync_record_tenant_id_state_next_attempt_at_idx" ON "portal_sync_record"("tenant_id", "state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "portal_sync_record_tenant_id_dossier_id_idx" ON "portal_sync_record"("tenant_id", "dossier_id");

-- AddForeignKey
ALTER TABLE "province_procedure" ADD CONSTRAINT "province_procedure_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "province_procedure" ADD CONSTRAINT "province_procedure_procedure_id_fkey" FOREIGN KEY ("procedure_id") REFERENCES "procedure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "province_procedure" ADD CONSTRAINT "province_procedure_tenant_id_agency_id_fkey" FOREIGN KEY ("tenant_id", "agency_id") REFERENCES "agency"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_day" ADD CONSTRAINT "calendar_day_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_year" ADD CONSTRAINT "calendar_year_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier" ADD CONSTRAINT "dossier_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier" ADD CONSTRAINT "dossier_procedure_id_fkey" FOREIGN KEY ("procedure_id") REFERENCES "procedure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier" ADD CONSTRAINT "dossier_tenant_id_agency_id_fkey" FOREIGN KEY ("tenant_id", "agency_id") REFERENCES "agency"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier" ADD CONSTRAINT "dossier_tenant_id_assignee_id_fkey" FOREIGN KEY ("tenant_id", "assignee_id") REFERENCES "official"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier_log_entry" ADD CONSTRAINT "dossier_log_entry_tenant_id_dossier_id_fkey" FOREIGN KEY ("tenant_id", "dossier_id") REFERENCES "dossier"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier_counter" ADD CONSTRAINT "dossier_counter_tenant_id_agency_id_fkey" FOREIGN KEY ("tenant_id", "agency_id") REFERENCES "agency"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portal_sync_record" ADD CONSTRAINT "portal_sync_record_tenant_id_dossier_id_fkey" FOREIGN KEY ("tenant_id", "dossier_id") REFERENCES "dossier"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------- grants and row-level security
-- The national catalogue is reference data: the app reads it, the owner loads it.
GRANT SELECT ON "procedure" TO egov_app;

-- Failed tracking lookups are counted per client and per province across all server processes;
-- the rows carry no personal data and belong to no province.
GRANT SELECT, INSERT, UPDATE, DELETE ON "tracking_attempt" TO egov_app;

-- Tenant-owned tables, as in the first migration.
GRANT SELECT, INSERT, UPDATE, DELETE ON "province_procedure", "calendar_day", "calendar_year", "dossier",
  "dossier_log_entry", "dossier_counter", "portal_sync_record" TO egov_app;

DO $$
DECLARE
  owned text;
BEGIN
  FOREACH owned IN ARRAY ARRAY['province_procedure', 'calendar_day', 'calendar_year', 'dossier',
    'dossier_log_entry', 'dossier_counter', 'portal_sync_record']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', owned);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', owned);
    EXECUTE format($policy$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$policy$, owned);
  END LOOP;
END $$;
