-- A relocation site's natural key for imports (issue #12): a county names its sites, and a file
-- names a site by county code + site name (its serial id is the database's, unknown to the
-- offices that keep the spreadsheets). The demo generator never repeats a name inside a county;
-- a database that somehow holds two gets the later ones' ids appended, so this migration cannot
-- fail on old data. The unique index leads with county_code, so it also serves every lookup the
-- county index served: that index goes.
-- Hand-written (no drizzle-kit snapshot); the drizzle table object is db/src/tables/relocation.ts.
UPDATE "relocation_sites" s SET "name" = s."name" || '（' || s."id" || '）'
WHERE EXISTS (
	SELECT 1 FROM "relocation_sites" o
	WHERE o."county_code" = s."county_code" AND o."name" = s."name" AND o."id" < s."id"
);
--> statement-breakpoint
ALTER TABLE "relocation_sites" ADD CONSTRAINT "relocation_sites_county_code_name_unique" UNIQUE ("county_code", "name");
--> statement-breakpoint
DROP INDEX IF EXISTS "relocation_sites_county_idx";
