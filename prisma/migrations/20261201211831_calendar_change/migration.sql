-- CreateTable
CREATE TABLE "calendar_change" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    "caller_kind" TEXT NOT NULL,
    "caller_subject" TEXT,
    "old_kind" "CalendarDayKind",
    "old_name" TEXT,
    "new_kind" "CalendarDayKind",
    "new_name" TEXT,
    "reason" TEXT,

    CONSTRAINT "calendar_change_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "calendar_change_tenant_id_date_idx" ON "calendar_change"("tenant_id", "date");

-- AddForeignKey
ALTER TABLE "calendar_change" ADD CONSTRAINT "calendar_change_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- grants and row-level security
-- Tenant-owned like the other tables, but append-only: the app adds and reads changes, and can
-- neither rewrite nor erase one (no UPDATE, no DELETE).
GRANT SELECT, INSERT ON "calendar_change" TO egov_app;

ALTER TABLE "calendar_change" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "calendar_change" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "calendar_change"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
