-- The lists of a level (every county for the national choropleth, regionStats' grouping, the county
-- list) read code, name and parents only, but a region's row also holds its boundary (about 1 KB
-- inline), so scanning the 3,300 rows read 6 MB: 11 of the national choropleth's 19 ms
-- (PostgreSQL 15, national data, 2026-12-01). This index answers them from itself.
CREATE INDEX "regions_level_code_cover" ON "regions" USING btree ("level", "code")
  INCLUDE ("name", "prefecture_code", "province_code", "parent_code");
--> statement-breakpoint
DROP INDEX "regions_level_idx";
