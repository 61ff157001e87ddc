-- CreateEnum
CREATE TYPE "PaymentMethod" AS ENUM ('ONLINE', 'AT_COUNTER');

-- CreateEnum
CREATE TYPE "ResultReturnMethod" AS ENUM ('AT_COUNTER', 'POSTAL', 'ELECTRONIC');

-- AlterTable
ALTER TABLE "dossier" ADD COLUMN     "digitised_components" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "identity_verified" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "payment_method" "PaymentMethod",
ADD COLUMN     "payment_receipt" TEXT,
ADD COLUMN     "rated_at" TIMESTAMPTZ(3),
ADD COLUMN     "rating" SMALLINT,
ADD COLUMN     "rating_comment" TEXT,
ADD COLUMN     "result_return" "ResultReturnMethod";

-- CreateTable
CREATE TABLE "dossier_daily_figure" (
    "tenant_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "agency_id" UUID NOT NULL,
    "procedure_id" UUID NOT NULL,
    "field_code" TEXT NOT NULL,
    "channel" "DossierChannel" NOT NULL,
    "received" INTEGER NOT NULL DEFAULT 0,
    "received_online" INTEGER NOT NULL DEFAULT 0,
    "identity_verified" INTEGER NOT NULL DEFAULT 0,
    "digitised" INTEGER NOT NULL DEFAULT 0,
    "finished_early" INTEGER NOT NULL DEFAULT 0,
    "finished_on_time" INTEGER NOT NULL DEFAULT 0,
    "finished_late" INTEGER NOT NULL DEFAULT 0,
    "paid" INTEGER NOT NULL DEFAULT 0,
    "paid_online" INTEGER NOT NULL DEFAULT 0,
    "returned" INTEGER NOT NULL DEFAULT 0,
    "returned_electronically" INTEGER NOT NULL DEFAULT 0,
    "rated" INTEGER NOT NULL DEFAULT 0,
    "rating_sum" INTEGER NOT NULL DEFAULT 0,
    "portal_changes" INTEGER NOT NULL DEFAULT 0,
    "portal_acknowledged" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "dossier_daily_figure_pkey" PRIMARY KEY ("tenant_id","day","agency_id","procedure_id","channel")
);

-- CreateTable
CREATE TABLE "dossier_monthly_figure" (
    "tenant_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "agency_id" UUID NOT NULL,
    "procedure_id" UUID NOT NULL,
    "field_code" TEXT NOT NULL,
    "channel" "DossierChannel" NOT NULL,
    "received" INTEGER NOT NULL DEFAULT 0,
    "received_online" INTEGER NOT NULL DEFAULT 0,
    "identity_verified" INTEGER NOT NULL DEFAULT 0,
    "digitised" INTEGER NOT NULL DEFAULT 0,
    "finished_early" INTEGER NOT NULL DEFAULT 0,
    "finished_on_time" INTEGER NOT NULL DEFAULT 0,
    "finished_late" INTEGER NOT NULL DEFAULT 0,
    "paid" INTEGER NOT NULL DEFAULT 0,
    "paid_online" INTEGER NOT NULL DEFAULT 0,
    "returned" INTEGER NOT NULL DEFAULT 0,
    "returned_electronically" INTEGER NOT NULL DEFAULT 0,
    "rated" INTEGER NOT NULL DEFAULT 0,
    "rating_sum" INTEGER NOT NULL DEFAULT 0,
    "portal_changes" INTEGER NOT NULL DEFAULT 0,
    "portal_acknowledged" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "dossier_monthly_figure_pkey" PRIMARY KEY ("tenant_id","month","agency_id","procedure_id","channel")
);

-- CreateTable
CREATE TABLE "ministry" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ministry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ministry_grant" (
    "ministry_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "indicators" TEXT[],
    "field_codes" TEXT[],
    "granted_at" TIMESTAMPTZ(3) NOT NULL,
    "granted_by" TEXT NOT NULL,

    CONSTRAINT "ministry_grant_pkey" PRIMARY KEY ("ministry_id","tenant_id")
);

-- CreateTable
CREATE TABLE "ministry_read" (
    "id" UUID NOT NULL,
    "ministry_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "request_id" TEXT NOT NULL,
    "operation" TEXT,
    "question" JSONB NOT NULL,
    "indicators" TEXT[],
    "province_ids" UUID[],

    CONSTRAINT "ministry_read_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dossier_daily_figure_day_idx" ON "dossier_daily_figure"("day");

-- CreateIndex
CREATE INDEX "dossier_monthly_figure_month_idx" ON "dossier_monthly_figure"("month");

-- CreateIndex
CREATE UNIQUE INDEX "ministry_code_key" ON "ministry"("code");

-- CreateIndex
CREATE INDEX "ministry_read_ministry_id_at_idx" ON "ministry_read"("ministry_id", "at");

-- AddForeignKey
ALTER TABLE "dossier_daily_figure" ADD CONSTRAINT "dossier_daily_figure_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier_monthly_figure" ADD CONSTRAINT "dossier_monthly_figure_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ministry_grant" ADD CONSTRAINT "ministry_grant_ministry_id_fkey" FOREIGN KEY ("ministry_id") REFERENCES "ministry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ministry_grant" ADD CONSTRAINT "ministry_grant_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ministry_read" ADD CONSTRAINT "ministry_read_ministry_id_fkey" FOREIGN KEY ("ministry_id") REFERENCES "ministry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------- daily roll-ups, kept by triggers
-- What one dossier row contributes to the roll-ups, each figure on the local day of its own event.
-- The roll-ups are the sum of this over all dossiers, kept so by the triggers below in the
-- transaction of every insert, update and delete: a roll-up cannot drift from the dossiers.
CREATE FUNCTION dossier_figures(d dossier, sign int) RETURNS TABLE (
  day date, received int, received_online int, identity_verified int, digitised int,
  finished_early int, finished_on_time int, finished_late int, paid int, paid_online int,
  returned int, returned_electronically int, rated int, rating_sum int)
LANGUAGE sql STABLE AS $$
  -- (a column a dossier of before this migration lacks, such as how its result was returned, counts as no)
  SELECT (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, sign, sign * (d.channel = 'ONLINE')::int,
         sign * d.identity_verified::int, sign * (d.digitised_components > 0)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0
  WHERE d.received_at IS NOT NULL
  UNION ALL
  -- a dossier refused at intake was never received: it is not judged (as the statistics always did)
  SELECT (d.ended_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 0, 0, 0, 0,
         sign * COALESCE(d.outcome = 'EARLY', false)::int, sign * COALESCE(d.outcome = 'ON_TIME', false)::int, sign * COALESCE(d.outcome = 'LATE', false)::int, 0, 0, 0, 0, 0, 0
  WHERE d.ended_at IS NOT NULL AND d.received_at IS NOT NULL
  UNION ALL
  SELECT (d.paid_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 0, 0, 0, 0, 0, 0, 0,
         sign, sign * COALESCE(d.payment_method = 'ONLINE', false)::int, 0, 0, 0, 0
  WHERE d.paid_at IS NOT NULL
  UNION ALL
  SELECT (d.returned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         sign, sign * COALESCE(d.result_return = 'ELECTRONIC', false)::int, 0, 0
  WHERE d.returned_at IS NOT NULL
  UNION ALL
  SELECT (d.rated_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         sign, sign * d.rating
  WHERE d.rated_at IS NOT NULL AND d.rating IS NOT NULL
$$;

-- Writers of a province's roll-ups hold this lock shared; the backfill holds it alone while it
-- rewrites a stretch of days, so that no change lands between its read and its write.
CREATE FUNCTION lock_province_figures(tenant uuid, exclusive boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF exclusive THEN PERFORM pg_advisory_xact_lock(766, hashtext(tenant::text));
  ELSE PERFORM pg_advisory_xact_lock_shared(766, hashtext(tenant::text)); END IF;
END $$;

-- A change of the roll-ups locks their rows until it commits: the day's row and the month's, and for
-- a job acknowledging a dossier's portal changes, the rows of several days. Two writers that took such
-- rows in different orders would deadlock. So every writer first takes, until it commits, a lock on
-- the group its rows belong to (province, agency, procedure, channel): writers of one group follow one
-- another, and a writer takes only its dossier's group (two when a change moves a dossier to another).
CREATE FUNCTION figure_group(tenant uuid, agency uuid, procedure uuid, channel "DossierChannel") RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws('|', tenant, agency, procedure, channel)
$$;
CREATE FUNCTION lock_figure_group(figure_group text) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(767, hashtext(figure_group))
$$;

-- What a change of one dossier row does to the roll-ups: its old contribution taken away, its new one
-- added, netted per day and group; what the change leaves as it was (the received day of a dossier
-- that ends) is not there at all, so it is not touched.
CREATE FUNCTION dossier_figure_changes(o dossier, n dossier) RETURNS TABLE (
  tenant_id uuid, day date, agency_id uuid, procedure_id uuid, field_code text, channel "DossierChannel",
  received int, received_online int, identity_verified int, digitised int, finished_early int, finished_on_time int,
  finished_late int, paid int, paid_online int, returned int, returned_electronically int, rated int, rating_sum int)
LANGUAGE sql STABLE AS $$
  SELECT c.tenant_id, c.day, c.agency_id, c.procedure_id, min(c.field_code), c.channel, sum(c.received), sum(c.received_online), sum(c.identity_verified), sum(c.digitised), sum(c.finished_early), sum(c.finished_on_time), sum(c.finished_late), sum(c.paid), sum(c.paid_online), sum(c.returned), sum(c.returned_electronically), sum(c.rated), sum(c.rating_sum)
  FROM (
    SELECT o.tenant_id, o.agency_id, o.procedure_id, o.field_code, o.channel, x.* FROM dossier_figures(o, -1) x
    UNION ALL
    SELECT n.tenant_id, n.agency_id, n.procedure_id, n.field_code, n.channel, x.* FROM dossier_figures(n, 1) x
  ) AS c (tenant_id, agency_id, procedure_id, field_code, channel, day, received, received_online, identity_verified, digitised, finished_early, finished_on_time, finished_late, paid, paid_online, returned, returned_electronically, rated, rating_sum)
  GROUP BY c.tenant_id, c.day, c.agency_id, c.procedure_id, c.channel
  HAVING sum(c.received) <> 0
    OR sum(c.received_online) <> 0
    OR sum(c.identity_verified) <> 0
    OR sum(c.digitised) <> 0
    OR sum(c.finished_early) <> 0
    OR sum(c.finished_on_time) <> 0
    OR sum(c.finished_late) <> 0
    OR sum(c.paid) <> 0
    OR sum(c.paid_online) <> 0
    OR sum(c.returned) <> 0
    OR sum(c.returned_electronically) <> 0
    OR sum(c.rated) <> 0
    OR sum(c.rating_sum) <> 0
$$;

-- SECURITY DEFINER: the application role may read the roll-ups but not write them; only this
-- function does, from the dossier row the application was allowed to write. Rows are upserted in
-- one order by every writer, so two transactions never wait on each other's rows crosswise.
CREATE FUNCTION dossier_daily_figure_apply() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  old_group text := CASE WHEN OLD IS NULL THEN NULL ELSE figure_group(OLD.tenant_id, OLD.agency_id, OLD.procedure_id, OLD.channel) END;
  new_group text := CASE WHEN NEW IS NULL THEN NULL ELSE figure_group(NEW.tenant_id, NEW.agency_id, NEW.procedure_id, NEW.channel) END;
BEGIN
  PERFORM lock_province_figures(COALESCE(NEW.tenant_id, OLD.tenant_id), false);
  -- the dossier's group, and its old one when the change moved it, the smaller first
  PERFORM lock_figure_group(LEAST(old_group, new_group));
  IF old_group IS DISTINCT FROM new_group AND old_group IS NOT NULL AND new_group IS NOT NULL THEN
    PERFORM lock_figure_group(GREATEST(old_group, new_group));
  END IF;
  INSERT INTO dossier_daily_figure AS f (tenant_id, day, agency_id, procedure_id, field_code, channel, received, received_online, identity_verified, digitised, finished_early, finished_on_time, finished_late, paid, paid_online, returned, returned_electronically, rated, rating_sum)
  SELECT * FROM dossier_figure_changes(OLD, NEW) c ORDER BY c.tenant_id, c.day, c.agency_id, c.procedure_id, c.channel
  ON CONFLICT (tenant_id, day, agency_id, procedure_id, channel) DO UPDATE SET
    received = f.received + EXCLUDED.received,
    received_online = f.received_online + EXCLUDED.received_online,
    identity_verified = f.identity_verified + EXCLUDED.identity_verified,
    digitised = f.digitised + EXCLUDED.digitised,
    finished_early = f.finished_early + EXCLUDED.finished_early,
    finished_on_time = f.finished_on_time + EXCLUDED.finished_on_time,
    finished_late = f.finished_late + EXCLUDED.finished_late,
    paid = f.paid + EXCLUDED.paid,
    paid_online = f.paid_online + EXCLUDED.paid_online,
    returned = f.returned + EXCLUDED.returned,
    returned_electronically = f.returned_electronically + EXCLUDED.returned_electronically,
    rated = f.rated + EXCLUDED.rated,
    rating_sum = f.rating_sum + EXCLUDED.rating_sum;
  INSERT INTO dossier_monthly_figure AS f (tenant_id, month, agency_id, procedure_id, field_code, channel, received, received_online, identity_verified, digitised, finished_early, finished_on_time, finished_late, paid, paid_online, returned, returned_electronically, rated, rating_sum)
  SELECT c.tenant_id, date_trunc('month', c.day)::date, c.agency_id, c.procedure_id, min(c.field_code), c.channel, sum(c.received), sum(c.received_online), sum(c.identity_verified), sum(c.digitised), sum(c.finished_early), sum(c.finished_on_time), sum(c.finished_late), sum(c.paid), sum(c.paid_online), sum(c.returned), sum(c.returned_electronically), sum(c.rated), sum(c.rating_sum)
  FROM dossier_figure_changes(OLD, NEW) c GROUP BY 1, 2, 3, 4, 6 ORDER BY 1, 2, 3, 4, 6
  ON CONFLICT (tenant_id, month, agency_id, procedure_id, channel) DO UPDATE SET
    received = f.received + EXCLUDED.received,
    received_online = f.received_online + EXCLUDED.received_online,
    identity_verified = f.identity_verified + EXCLUDED.identity_verified,
    digitised = f.digitised + EXCLUDED.digitised,
    finished_early = f.finished_early + EXCLUDED.finished_early,
    finished_on_time = f.finished_on_time + EXCLUDED.finished_on_time,
    finished_late = f.finished_late + EXCLUDED.finished_late,
    paid = f.paid + EXCLUDED.paid,
    paid_online = f.paid_online + EXCLUDED.paid_online,
    returned = f.returned + EXCLUDED.returned,
    returned_electronically = f.returned_electronically + EXCLUDED.returned_electronically,
    rated = f.rated + EXCLUDED.rated,
    rating_sum = f.rating_sum + EXCLUDED.rating_sum;
  RETURN NULL;
END $$;

CREATE TRIGGER dossier_daily_figure_insert_delete AFTER INSERT OR DELETE ON "dossier"
  FOR EACH ROW EXECUTE FUNCTION dossier_daily_figure_apply();
-- Most moves change none of these columns (a dossier taken into processing): they skip the trigger.
CREATE TRIGGER dossier_daily_figure_update AFTER UPDATE OF
  tenant_id, agency_id, procedure_id, field_code, channel, received_at, identity_verified, digitised_components,
  ended_at, outcome, paid_at, payment_method, returned_at, result_return, rated_at, rating ON "dossier"
  FOR EACH ROW
  WHEN ((OLD.tenant_id, OLD.agency_id, OLD.procedure_id, OLD.field_code, OLD.channel, OLD.received_at, OLD.identity_verified,
         OLD.digitised_components, OLD.ended_at, OLD.outcome, OLD.paid_at, OLD.payment_method, OLD.returned_at,
         OLD.result_return, OLD.rated_at, OLD.rating)
    IS DISTINCT FROM (NEW.tenant_id, NEW.agency_id, NEW.procedure_id, NEW.field_code, NEW.channel, NEW.received_at,
         NEW.identity_verified, NEW.digitised_components, NEW.ended_at, NEW.outcome, NEW.paid_at, NEW.payment_method,
         NEW.returned_at, NEW.result_return, NEW.rated_at, NEW.rating))
  EXECUTE FUNCTION dossier_daily_figure_apply();

-- The national portal's sync rate: each status change sent, on the day of the change, and whether the
-- portal acknowledged it.
CREATE FUNCTION portal_daily_figure_apply() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  d dossier;
  changes int := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE 0 END;
  acknowledged int := (NEW.state = 'ACKNOWLEDGED')::int - (TG_OP = 'UPDATE' AND OLD.state = 'ACKNOWLEDGED')::int;
BEGIN
  IF changes = 0 AND acknowledged = 0 THEN RETURN NULL; END IF;
  SELECT * INTO d FROM dossier WHERE tenant_id = NEW.tenant_id AND id = NEW.dossier_id;
  PERFORM lock_province_figures(NEW.tenant_id, false);
  PERFORM lock_figure_group(figure_group(NEW.tenant_id, d.agency_id, d.procedure_id, d.channel));
  INSERT INTO dossier_daily_figure AS f (tenant_id, day, agency_id, procedure_id, field_code, channel, portal_changes, portal_acknowledged)
  VALUES (NEW.tenant_id, (NEW.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, d.agency_id, d.procedure_id, d.field_code, d.channel, changes, acknowledged)
  ON CONFLICT (tenant_id, day, agency_id, procedure_id, channel) DO UPDATE SET
    portal_changes = f.portal_changes + EXCLUDED.portal_changes,
    portal_acknowledged = f.portal_acknowledged + EXCLUDED.portal_acknowledged;
  INSERT INTO dossier_monthly_figure AS f (tenant_id, month, agency_id, procedure_id, field_code, channel, portal_changes, portal_acknowledged)
  VALUES (NEW.tenant_id, date_trunc('month', NEW.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, d.agency_id, d.procedure_id, d.field_code, d.channel, changes, acknowledged)
  ON CONFLICT (tenant_id, month, agency_id, procedure_id, channel) DO UPDATE SET
    portal_changes = f.portal_changes + EXCLUDED.portal_changes,
    portal_acknowledged = f.portal_acknowledged + EXCLUDED.portal_acknowledged;
  RETURN NULL;
END $$;
CREATE TRIGGER portal_daily_figure AFTER INSERT OR UPDATE OF state ON "portal_sync_record"
  FOR EACH ROW EXECUTE FUNCTION portal_daily_figure_apply();

-- ---------------------------------------------------------------- grants and row-level security
-- A province reads its own roll-ups (its statistics); nobody but the triggers and the backfill (the
-- owner) writes them: the application role has no privilege to. The owner's SECURITY DEFINER triggers
-- write in the transaction of the dossier change, whose province is set, so the same policy admits
-- them (a superuser owner bypasses it anyway).
GRANT SELECT ON "dossier_daily_figure", "dossier_monthly_figure" TO egov_app;
ALTER TABLE "dossier_daily_figure" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "dossier_daily_figure" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "dossier_daily_figure"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE "dossier_monthly_figure" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "dossier_monthly_figure" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "dossier_monthly_figure"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Ministries are a national registry the application reads; a grant on a province is written by a
-- platform admin acting in that province, like its quotas.
GRANT SELECT ON "ministry", "ministry_read" TO egov_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "ministry_grant" TO egov_app;
ALTER TABLE "ministry_grant" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ministry_grant" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ministry_grant"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- A ministry's requests run as egov_ministry: it may read the roll-ups of what it was granted and the
-- national reference data, write its own read log, and nothing else. No dossier, applicant, official or
-- agency row is readable by it at all (no privilege, whatever the settings say). `app.ministry` names
-- the ministry (its code) for the policies; the server sets it from the verified token.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'egov_ministry') THEN
    CREATE ROLE egov_ministry NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
-- The server connects as egov_app and drops to egov_ministry for a ministry's transaction. NOINHERIT:
-- being able to become egov_ministry gives egov_app none of its privileges, and the ministry's
-- policies below do not apply to egov_app's own statements (it has no other membership).
GRANT egov_ministry TO egov_app;
ALTER ROLE egov_app NOINHERIT;
GRANT USAGE ON SCHEMA public TO egov_ministry;
GRANT SELECT ON "administrative_unit", "unit_succession", "tenant", "procedure" TO egov_ministry;
GRANT SELECT ON "dossier_daily_figure", "dossier_monthly_figure", "ministry", "ministry_grant" TO egov_ministry;
GRANT INSERT ON "ministry_read" TO egov_ministry;

CREATE POLICY ministry_itself ON "ministry" FOR SELECT TO egov_ministry
  USING (code = current_setting('app.ministry', true));
ALTER TABLE "ministry" ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON "ministry" FOR SELECT TO egov_app USING (true);
CREATE POLICY ministry_own_grants ON "ministry_grant" FOR SELECT TO egov_ministry
  USING (ministry_id IN (SELECT id FROM ministry WHERE code = current_setting('app.ministry', true)));
-- What the calling ministry was granted, as (province, field) pairs, field null for all of them. A grant
-- on a province covers the provinces merged into it (their figures before the merger are its history).
CREATE FUNCTION ministry_granted() RETURNS TABLE (tenant uuid, field text) LANGUAGE sql STABLE AS $$
  SELECT t.id, f.field
  FROM ministry_grant g
  JOIN ministry m ON m.id = g.ministry_id
  JOIN tenant t ON t.id = g.tenant_id OR t.merged_into_id = g.tenant_id
  CROSS JOIN LATERAL unnest(CASE WHEN cardinality(g.field_codes) = 0 THEN ARRAY[NULL::text] ELSE g.field_codes END) AS f (field)
  WHERE m.code = current_setting('app.ministry', true)
$$;
-- A roll-up row of a granted province, in a granted field. Written as two uncorrelated IN lists, so
-- that PostgreSQL reads the grants once per statement (a hashed subplan), not once per row.
CREATE POLICY ministry_granted ON "dossier_daily_figure" FOR SELECT TO egov_ministry USING (
  tenant_id IN (SELECT tenant FROM ministry_granted() WHERE field IS NULL)
  OR (tenant_id, field_code) IN (SELECT tenant, field FROM ministry_granted() WHERE field IS NOT NULL));
CREATE POLICY ministry_granted ON "dossier_monthly_figure" FOR SELECT TO egov_ministry USING (
  tenant_id IN (SELECT tenant FROM ministry_granted() WHERE field IS NULL)
  OR (tenant_id, field_code) IN (SELECT tenant, field FROM ministry_granted() WHERE field IS NOT NULL));
ALTER TABLE "ministry_read" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ministry_read" FORCE ROW LEVEL SECURITY;
CREATE POLICY ministry_logs_itself ON "ministry_read" FOR INSERT TO egov_ministry
  WITH CHECK (ministry_id IN (SELECT id FROM ministry WHERE code = current_setting('app.ministry', true)));
-- A province sees the reads that included it, and no other province's.
CREATE POLICY province_reads ON "ministry_read" FOR SELECT TO egov_app
  USING (NULLIF(current_setting('app.tenant_id', true), '')::uuid = ANY (province_ids));


-- ---------------------------------------------------------------- the backfill's progress (owner only)
-- CreateTable
CREATE TABLE "dossier_figure_backfill" (
    "tenant_id" UUID NOT NULL,
    "rebuilt_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dossier_figure_backfill_pkey" PRIMARY KEY ("tenant_id")
);
GRANT SELECT ON "dossier_figure_backfill" TO egov_app;
ALTER TABLE "dossier_figure_backfill" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "dossier_figure_backfill" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "dossier_figure_backfill"
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
