-- One listing per place, the key an import of `listings` upserts by: a county's listing has no
-- village code, so NULLs are equal here (PostgreSQL 15+, and PGlite).
ALTER TABLE "supervision_listings" ADD CONSTRAINT "supervision_listings_place_key" UNIQUE NULLS NOT DISTINCT ("county_code", "village_code");
