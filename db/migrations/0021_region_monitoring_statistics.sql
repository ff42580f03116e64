-- The rest of monitoringStats stored beside the map's figures (#17: a province's aggregates in
-- ≤ 200 ms): per region and year, those identified and risk removed in the year and those monitored
-- at its end with no measure yet; per region, today's early warnings, small-loan balance and overdue
-- amount, and households whose income year has no stored line, counted on `as_of` (China's day).
-- Kept by db/src/monitoring/figures.ts; a day's first recount is the hourly job's, and a read that
-- finds yesterday's counts counts live instead.
ALTER TABLE "region_monitoring_figures" ADD COLUMN "identified_in_year" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "region_monitoring_figures" ADD COLUMN "removed_in_year" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "region_monitoring_figures" ADD COLUMN "without_measure" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE TABLE "region_monitoring_today" (
	"region_code" text PRIMARY KEY NOT NULL,
	"level" text NOT NULL CHECK ("level" IN ('county', 'prefecture', 'province', 'nation')),
	"as_of" date NOT NULL,
	"early_warning" integer NOT NULL,
	"loan_balance_yuan" bigint NOT NULL,
	"loan_overdue_yuan" bigint NOT NULL,
	"without_line" integer NOT NULL
);
--> statement-breakpoint
-- Counted again at the next start, with the new columns.
DELETE FROM "region_monitoring_figures";
