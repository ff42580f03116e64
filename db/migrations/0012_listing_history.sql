-- A listing's history (#16): who listed a place for supervision (挂牌), lifted it (摘帽/出列) and
-- closed it (销号), and when — as a problem's history records its moves. Listings made before this
-- migration get their history from their own dates (midnight in China, the ledger's day), written by
-- their supervising unit.
CREATE TABLE "supervision_listing_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"listing_id" integer NOT NULL REFERENCES "supervision_listings"("id"),
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_by" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE INDEX "listing_history_listing_idx" ON "supervision_listing_history" USING btree ("listing_id");
--> statement-breakpoint
INSERT INTO "supervision_listing_history" ("listing_id", "changed_at", "changed_by", "action", "from_status", "to_status")
SELECT "id", "listed_on"::timestamp AT TIME ZONE 'Asia/Shanghai', "supervising_unit", 'listed', NULL, 'supervising' FROM "supervision_listings"
UNION ALL
SELECT "id", "lifted_on"::timestamp AT TIME ZONE 'Asia/Shanghai', "supervising_unit", 'lifted', 'supervising', 'lifted' FROM "supervision_listings" WHERE "lifted_on" IS NOT NULL
UNION ALL
SELECT "id", "closed_on"::timestamp AT TIME ZONE 'Asia/Shanghai', "supervising_unit", 'closed', 'lifted', 'closed' FROM "supervision_listings" WHERE "closed_on" IS NOT NULL;
