-- A second version counter: figures_version moves when what the base map shows changes (figures,
-- designations, boundaries, villages, sites); data_version moves with every write, supervision
-- included. Tiles of the base layers are keyed by figures_version, so a supervisor's write every
-- second no longer throws away every cut county tile.
ALTER TABLE "dataset" ADD COLUMN "figures_version" bigint DEFAULT 1 NOT NULL;
--> statement-breakpoint
-- A village list filtered by region and by a yearly indicator counts its rows from this index:
-- the year and the code prefix bound the scan (14 ms instead of 64 ms for a province, measured on
-- the national data); it also serves every lookup by year alone, so the year-only index goes.
CREATE INDEX "village_indicators_year_code_idx" ON "village_indicators" USING btree ("year", "village_code" text_pattern_ops);--> statement-breakpoint
DROP INDEX IF EXISTS "village_indicators_year_idx";
