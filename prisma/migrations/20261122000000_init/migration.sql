-- Initial schema. The DDL is what Prisma's schema engine derives from prisma/schema.prisma; the part
-- after it (the app role, grants and row-level security) is what Prisma does not model.

-- CreateEnum
CREATE TYPE "UnitLevel" AS ENUM ('PROVINCE', 'DISTRICT', 'COMMUNE');

-- CreateEnum
CREATE TYPE "TenantStatus" AS ENUM ('ACTIVE', 'MERGED');

-- CreateEnum
CREATE TYPE "AgencyKind" AS ENUM ('PEOPLES_COUNCIL', 'PEOPLES_COMMITTEE', 'COMMITTEE_OFFICE', 'DEPARTMENT', 'COMMUNE_COMMITTEE', 'PUBLIC_SERVICE_UNIT', 'OTHER');

-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('MALE', 'FEMALE');

-- CreateEnum
CREATE TYPE "OfficialStatus" AS ENUM ('WORKING', 'TRANSFERRED', 'RETIRED');

-- CreateEnum
CREATE TYPE "BackOfficeRole" AS ENUM ('RECEIVING_CLERK', 'HANDLER', 'LEADER', 'DOCUMENT_CLERK', 'PROVINCE_ADMIN');

-- CreateTable
CREATE TABLE "administrative_unit" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "level" "UnitLevel" NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "province_code" TEXT NOT NULL,
    "parent_id" UUID,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,

    CONSTRAINT "administrative_unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "unit_succession" (
    "predecessor_id" UUID NOT NULL,
    "successor_id" UUID NOT NULL,
    "resolution" TEXT NOT NULL,
    "effective_on" DATE NOT NULL,

    CONSTRAINT "unit_succession_pkey" PRIMARY KEY ("predecessor_id","successor_id")
);

-- CreateTable
CREATE TABLE "tenant" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "gso_code" TEXT NOT NULL,
    "code_valid_from" DATE NOT NULL,
    "code_valid_to" DATE,
    "host_names" TEXT[],
    "time_zone" TEXT NOT NULL,
    "office_hours" JSONB NOT NULL,
    "status" "TenantStatus" NOT NULL,
    "merged_into_id" UUID,
    "merged_on" DATE,
    "unit_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agency" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AgencyKind" NOT NULL,
    "parent_id" UUID,
    "unit_id" UUID NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "address" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agency_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "official" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "full_name" TEXT NOT NULL,
    "search_name" TEXT NOT NULL,
    "birth_date" DATE,
    "gender" "Gender",
    "id_number" TEXT,
    "agency_id" UUID NOT NULL,
    "position" TEXT NOT NULL,
    "rank_code" TEXT,
    "rank_name" TEXT,
    "pay_step" INTEGER,
    "pay_coefficient" DECIMAL(4,2),
    "email" TEXT NOT NULL,
    "phone" TEXT,
    "status" "OfficialStatus" NOT NULL DEFAULT 'WORKING',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "official_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "official_role" (
    "tenant_id" UUID NOT NULL,
    "official_id" UUID NOT NULL,
    "role" "BackOfficeRole" NOT NULL,
    "agency_id" UUID NOT NULL,

    CONSTRAINT "official_role_pkey" PRIMARY KEY ("tenant_id","official_id","role","agency_id")
);

-- CreateTable
CREATE TABLE "work_history_entry" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "official_id" UUID NOT NULL,
    "agency_id" UUID,
    "agency_name" TEXT NOT NULL,
    "province_name" TEXT NOT NULL,
    "position" TEXT NOT NULL,
    "started_on" DATE NOT NULL,
    "ended_on" DATE,
    "decision_number" TEXT,
    "note" TEXT,

    CONSTRAINT "work_history_entry_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "administrative_unit_parent_id_idx" ON "administrative_unit"("parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "administrative_unit_level_code_valid_from_key" ON "administrative_unit"("level", "code", "valid_from");

-- CreateIndex
CREATE INDEX "unit_succession_successor_id_idx" ON "unit_succession"("successor_id");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_slug_key" ON "tenant"("slug");

-- CreateIndex
CREATE INDEX "tenant_gso_code_idx" ON "tenant"("gso_code");

-- CreateIndex
CREATE INDEX "agency_tenant_id_parent_id_idx" ON "agency"("tenant_id", "parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "agency_tenant_id_code_key" ON "agency"("tenant_id", "code");

-- CreateIndex
CREATE INDEX "official_tenant_id_agency_id_idx" ON "official"("tenant_id", "agency_id");

-- CreateIndex
CREATE INDEX "official_tenant_id_search_name_idx" ON "official"("tenant_id", "search_name");

-- CreateIndex
CREATE UNIQUE INDEX "official_tenant_id_email_key" ON "official"("tenant_id", "email");

-- CreateIndex
CREATE INDEX "work_history_entry_tenant_id_official_id_started_on_idx" ON "work_history_entry"("tenant_id", "official_id", "started_on");

-- AddForeignKey
ALTER TABLE "administrative_unit" ADD CONSTRAINT "administrative_unit_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "administrative_unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit_succession" ADD CONSTRAINT "unit_succession_predecessor_id_fkey" FOREIGN KEY ("predecessor_id") REFERENCES "administrative_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit_succession" ADD CONSTRAINT "unit_succession_successor_id_fkey" FOREIGN KEY ("successor_id") REFERENCES "administrative_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant" ADD CONSTRAINT "tenant_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "administrative_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant" ADD CONSTRAINT "tenant_merged_into_id_fkey" FOREIGN KEY ("merged_into_id") REFERENCES "tenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agency" ADD CONSTRAINT "agency_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agency" ADD CONSTRAINT "agency_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "administrative_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agency" ADD CONSTRAINT "agency_tenant_id_parent_id_fkey" FOREIGN KEY ("tenant_id", "parent_id") REFERENCES "agency"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "official" ADD CONSTRAINT "official_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "official" ADD CONSTRAINT "official_tenant_id_agency_id_fkey" FOREIGN KEY ("tenant_id", "agency_id") REFERENCES "agency"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "official_role" ADD CONSTRAINT "official_role_tenant_id_official_id_fkey" FOREIGN KEY ("tenant_id", "official_id") REFERENCES "official"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "official_role" ADD CONSTRAINT "official_role_tenant_id_agency_id_fkey" FOREIGN KEY ("tenant_id", "agency_id") REFERENCES "agency"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_history_entry" ADD CONSTRAINT "work_history_entry_tenant_id_official_id_fkey" FOREIGN KEY ("tenant_id", "official_id") REFERENCES "official"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_history_entry" ADD CONSTRAINT "work_history_entry_tenant_id_agency_id_fkey" FOREIGN KEY ("tenant_id", "agency_id") REFERENCES "agency"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- the application role
-- The server connects as egov_app: not a superuser, not BYPASSRLS, so row-level security applies to
-- it. Roles are cluster-wide, hence the guard. Give it a password out of band in production.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'egov_app') THEN
    CREATE ROLE egov_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO egov_app;
GRANT SELECT ON "_prisma_migrations" TO egov_app;

-- National reference data: read-only for the application.
GRANT SELECT ON "administrative_unit", "unit_succession", "tenant" TO egov_app;

-- Tenant-owned data: readable and writable, but only inside the province the transaction has set
-- with set_config('app.tenant_id', <uuid>, true). No setting means no rows.
GRANT SELECT, INSERT, UPDATE, DELETE ON "agency", "official", "official_role", "work_history_entry" TO egov_app;

ALTER TABLE "agency" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agency" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "agency"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE "official" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "official" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "official"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE "official_role" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "official_role" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "official_role"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE "work_history_entry" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "work_history_entry" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "work_history_entry"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
