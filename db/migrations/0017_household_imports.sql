-- Monitored households imported from the offices' own records (#17): a household may carry its
-- holder's name (户主姓名) in a real deployment — never in the demo data — and a measure is named by
-- its household, kind and start date, the key the `household-measures` import upserts by.
ALTER TABLE "households" ADD COLUMN "holder_name" text CHECK (char_length("holder_name") BETWEEN 1 AND 50);
--> statement-breakpoint
DROP INDEX "household_measures_household_idx";
--> statement-breakpoint
ALTER TABLE "household_measures" ADD CONSTRAINT "household_measures_natural_key" UNIQUE ("household_id", "kind", "started_on");
