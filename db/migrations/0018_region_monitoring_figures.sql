-- The household counts the map's two monitoring indicators (RISK_REMOVED_SHARE,
-- HOUSEHOLDS_UNDER_LINE) are made of, stored per region and year (#17 review): read per region by
-- the map and the lists instead of counting a region's households at every request, which cost a
-- national pass per alias and, per village, told one household's situation. Kept by
-- db/src/monitoring/figures.ts whenever a household, a line or an import changes them.
CREATE TABLE "region_monitoring_figures" (
	"region_code" text NOT NULL,
	"level" text NOT NULL CHECK ("level" IN ('county', 'prefecture', 'province', 'nation')),
	"year" integer NOT NULL,
	-- households identified by the year's end, and of them those whose risk was removed by then
	"identified" integer NOT NULL,
	"risk_removed" integer NOT NULL,
	-- households whose income of the year is assessed, and those monitored at the year's end whose
	-- income is under their province's line of the year
	"assessed" integer NOT NULL,
	"under_line" integer NOT NULL,
	PRIMARY KEY ("region_code", "year")
);
