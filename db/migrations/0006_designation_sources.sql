-- Where each county's key assistance designation comes from: the published list of 2021, an
-- imported file, or the demo generator (the list shipped with the demo is partial: 94 of 160; the
-- rest are drawn and must say so, county by county). Rows loaded before this migration came from
-- the old generator, which drew every designation: they are marked generated.
ALTER TABLE "county_designations" ADD COLUMN "key_assistance_source" text;
--> statement-breakpoint
UPDATE "county_designations" SET "key_assistance_source" = 'generated';
--> statement-breakpoint
ALTER TABLE "county_designations" ADD CONSTRAINT "county_designations_key_assistance_source_check" CHECK ("key_assistance_source" IN ('published_list', 'imported', 'generated'));
