-- CreateEnum
CREATE TYPE "AuditKind" AS ENUM ('MUTATION', 'READ');

-- CreateTable
CREATE TABLE "audit_entry" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" "AuditKind" NOT NULL,
    "operation" TEXT,
    "fields" TEXT[],
    "target_ids" TEXT[],
    "input_digest" TEXT,
    "request_id" TEXT NOT NULL,
    "client_address" TEXT NOT NULL,
    "actor_kind" TEXT NOT NULL,
    "actor_subject" TEXT,
    "actor_roles" TEXT[],
    "actor_agency" TEXT,
    "previous_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "audit_chain_head" (
    "tenant_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_chain_head_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateIndex
CREATE INDEX "audit_entry_tenant_id_actor_subject_position_idx" ON "audit_entry"("tenant_id", "actor_subject", "position");

-- CreateIndex
CREATE INDEX "audit_entry_tenant_id_at_idx" ON "audit_entry"("tenant_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "audit_entry_tenant_id_position_key" ON "audit_entry"("tenant_id", "position");

-- AddForeignKey
ALTER TABLE "audit_entry" ADD CONSTRAINT "audit_entry_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_chain_head" ADD CONSTRAINT "audit_chain_head_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- ---------------------------------------------------------------- grants and row-level security
-- The audit trail is append-only for the API: it adds and reads entries, never rewrites or erases one.
-- The chain head is the one row it updates (each append moves it on); rewriting it by hand breaks
-- verification, it hides nothing.
GRANT SELECT, INSERT ON "audit_entry" TO egov_app;
GRANT SELECT, INSERT, UPDATE ON "audit_chain_head" TO egov_app;

DO $$
DECLARE
  owned text;
BEGIN
  FOREACH owned IN ARRAY ARRAY['audit_entry', 'audit_chain_head']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', owned);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', owned);
    EXECUTE format($policy$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$policy$, owned);
  END LOOP;
END $$;

-- The dossier's processing log is append-only too: the API writes an entry with each move and never
-- changes one (it could rewrite an entry's actor, note and time). A dossier is never deleted by the
-- API either, and deleting one would erase its log (ON DELETE CASCADE). calendar_change was created
-- append-only; work_history_entry is not a log (a posting's end date is set when it ends).
REVOKE UPDATE, DELETE ON "dossier_log_entry" FROM egov_app;
REVOKE DELETE ON "dossier" FROM egov_app;
