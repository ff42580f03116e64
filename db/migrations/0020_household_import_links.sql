-- #17 review: a measure carries a version, so that rolling back an import of measures cannot
-- undo what the API did to them since (an ended loan); a history entry an import wrote names the
-- import, so that its rollback removes exactly those (not a user's note that reads alike).
ALTER TABLE "household_measures" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "household_history" ADD COLUMN "import_id" bigint;
--> statement-breakpoint
UPDATE "household_history" SET "import_id" = substring("note" from '^import #([0-9]+)$')::bigint
	WHERE "note" ~ '^import #[0-9]+$';
--> statement-breakpoint
CREATE INDEX "household_history_import_idx" ON "household_history" USING btree ("import_id") WHERE "import_id" IS NOT NULL;
--> statement-breakpoint
-- Counted again at the next start with the rule of migration 0019 (db/src/monitoring/figures.ts).
DELETE FROM "region_monitoring_figures";
