-- CreateTable
CREATE TABLE "province_quota" (
    "tenant_id" UUID NOT NULL,
    "requests_per_day" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "province_quota_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "rate_limit_counter" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limit_counter_pkey" PRIMARY KEY ("key")
);

-- AddForeignKey
ALTER TABLE "province_quota" ADD CONSTRAINT "province_quota_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- grants and row-level security
-- A province's quota is read in that province's scope (the limiter caches it) and set by a platform
-- admin acting in it; the app never deletes one.
GRANT SELECT, INSERT, UPDATE ON "province_quota" TO egov_app;

ALTER TABLE "province_quota" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "province_quota" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "province_quota"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- The rate limiter's counters: keyed by hashes and ids (nothing personal, no province's data), so
-- no row-level security. The limiter writes them outside any unit of work, on a small pool of its own.
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limit_counter" TO egov_app;
