-- AlterTable
ALTER TABLE "official_document" ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '';

-- Full-text search of the folded text, word by word (PostgreSQL's own 'simple' configuration: no
-- extension, so the embedded PGlite has it too), kept as a generated column so that a search's
-- condition is the match operator alone (see LEAKPROOF below).
ALTER TABLE "official_document" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "search_text")) STORED;
CREATE INDEX "official_document_search_idx" ON "official_document" USING gin ("search_vector");
GRANT UPDATE ("search_text") ON "official_document" TO egov_app;

-- Row-level security lets an index serve only conditions whose operators are LEAKPROOF (they cannot
-- reveal rows the policy hides through errors or side effects); the full-text match (ts_match_vq,
-- the @@ of tsvector and tsquery) is not marked so, and without it every search reads the whole
-- table. It reveals nothing but whether a row matches, so it is marked here (to_tsvector, which can
-- fail on odd input, stays as it is: it runs when a row is written, not in the search). Only a superuser may;
-- a migration run by another owner leaves it, and searches then scan (README, known limits).
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF;
  ELSE
    RAISE NOTICE 'not a superuser: ts_match_vq stays non-LEAKPROOF, document searches will scan';
  END IF;
END $$;
