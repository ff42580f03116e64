CREATE TABLE "dataset" (
	"id" text PRIMARY KEY DEFAULT 'current' NOT NULL,
	"label" text NOT NULL,
	"kind" text NOT NULL,
	"details" jsonb NOT NULL,
	"data_version" bigint DEFAULT 1 NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "county_designations" (
	"county_code" text PRIMARY KEY NOT NULL,
	"poverty_county" boolean DEFAULT false NOT NULL,
	"poverty_exit_year" integer,
	"key_assistance" boolean DEFAULT false NOT NULL,
	"supervised" boolean DEFAULT false NOT NULL,
	"east_west_partner_province" text,
	"east_west_partner_county" text
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text,
	"province_code" text NOT NULL,
	"prefecture_code" text,
	"boundary" geometry(MultiPolygon, 4326),
	"label_point" geometry(Point, 4326)
);
--> statement-breakpoint
CREATE TABLE "relocation_origins" (
	"site_id" integer NOT NULL,
	"village_code" text NOT NULL,
	"households" integer NOT NULL,
	CONSTRAINT "relocation_origins_site_id_village_code_pk" PRIMARY KEY("site_id","village_code")
);
--> statement-breakpoint
CREATE TABLE "relocation_site_indicators" (
	"site_id" integer NOT NULL,
	"year" integer NOT NULL,
	"households" integer NOT NULL,
	"people" integer NOT NULL,
	"labour_households" integer NOT NULL,
	"employed" integer NOT NULL,
	"zero_employment_households" integer NOT NULL,
	CONSTRAINT "relocation_site_indicators_site_id_year_pk" PRIMARY KEY("site_id","year")
);
--> statement-breakpoint
CREATE TABLE "relocation_sites" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"county_code" text NOT NULL,
	"location" geometry(Point, 4326),
	"placement_type" text NOT NULL,
	"size_class" text NOT NULL,
	"has_school" boolean NOT NULL,
	"has_clinic" boolean NOT NULL,
	"has_workshop" boolean NOT NULL,
	"has_community_service_centre" boolean NOT NULL,
	"year_built" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "region_indicators" (
	"region_code" text NOT NULL,
	"level" text NOT NULL,
	"year" integer NOT NULL,
	"villages" integer NOT NULL,
	"poverty_villages" integer NOT NULL,
	"supervised_villages" integer NOT NULL,
	"population" integer NOT NULL,
	"lifted_population" integer NOT NULL,
	"per_capita_net_income" double precision,
	"labour_force" integer NOT NULL,
	"employed" integer NOT NULL,
	"employed_out_migrant" integer NOT NULL,
	"employed_local" integer NOT NULL,
	"public_welfare_posts" integer NOT NULL,
	"workshop_jobs" integer NOT NULL,
	"monitored_households" integer NOT NULL,
	"monitored_risk_removed" integer NOT NULL,
	"relocation_sites" integer NOT NULL,
	"relocated_households" integer NOT NULL,
	"relocated_people" integer NOT NULL,
	"site_labour_households" integer NOT NULL,
	"site_employed" integer NOT NULL,
	"zero_employment_households" integer NOT NULL,
	CONSTRAINT "region_indicators_region_code_year_pk" PRIMARY KEY("region_code","year")
);
--> statement-breakpoint
CREATE TABLE "supervision_inspections" (
	"id" serial PRIMARY KEY NOT NULL,
	"listing_id" integer NOT NULL,
	"kind" text NOT NULL,
	"inspected_on" date NOT NULL,
	"inspectors" text NOT NULL,
	"households_checked" integer NOT NULL,
	"villages_checked" integer NOT NULL,
	"findings" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_listings" (
	"id" serial PRIMARY KEY NOT NULL,
	"unit_type" text NOT NULL,
	"county_code" text NOT NULL,
	"village_code" text,
	"listed_on" date NOT NULL,
	"supervising_unit" text NOT NULL,
	"status" text NOT NULL,
	"lifted_on" date,
	"closed_on" date,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_problem_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"problem_id" integer NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_by" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"note" text,
	"changes" jsonb
);
--> statement-breakpoint
CREATE TABLE "supervision_problems" (
	"id" serial PRIMARY KEY NOT NULL,
	"listing_id" integer,
	"inspection_id" integer,
	"county_code" text NOT NULL,
	"village_code" text,
	"category" text NOT NULL,
	"department" text NOT NULL,
	"description" text NOT NULL,
	"found_on" date NOT NULL,
	"deadline" date NOT NULL,
	"status" text NOT NULL,
	"rectified_on" date,
	"closed_on" date,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "village_indicators" (
	"village_code" text NOT NULL,
	"year" integer NOT NULL,
	"population" integer NOT NULL,
	"households" integer NOT NULL,
	"lifted_population" integer NOT NULL,
	"lifted_households" integer NOT NULL,
	"per_capita_net_income" double precision NOT NULL,
	"labour_force" integer NOT NULL,
	"employed_out_migrant" integer NOT NULL,
	"employed_local" integer NOT NULL,
	"public_welfare_posts" integer NOT NULL,
	"workshop_jobs" integer NOT NULL,
	"monitored_unstable" integer NOT NULL,
	"monitored_marginal" integer NOT NULL,
	"monitored_sudden_hardship" integer NOT NULL,
	"monitored_risk_removed" integer NOT NULL,
	"dropouts" integer NOT NULL,
	"uninsured" integer NOT NULL,
	"unsafe_houses" integer NOT NULL,
	"households_without_safe_water" integer NOT NULL,
	CONSTRAINT "village_indicators_village_code_year_pk" PRIMARY KEY("village_code","year")
);
--> statement-breakpoint
CREATE TABLE "villages" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"township_code" text NOT NULL,
	"township_name" text NOT NULL,
	"county_code" text NOT NULL,
	"location" geometry(Point, 4326),
	"poverty_village" boolean DEFAULT false NOT NULL,
	"poverty_exit_year" integer,
	"supervised" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "county_designations" ADD CONSTRAINT "county_designations_county_code_regions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relocation_origins" ADD CONSTRAINT "relocation_origins_site_id_relocation_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."relocation_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relocation_origins" ADD CONSTRAINT "relocation_origins_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relocation_site_indicators" ADD CONSTRAINT "relocation_site_indicators_site_id_relocation_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."relocation_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relocation_sites" ADD CONSTRAINT "relocation_sites_county_code_regions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_inspections" ADD CONSTRAINT "supervision_inspections_listing_id_supervision_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."supervision_listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_listings" ADD CONSTRAINT "supervision_listings_county_code_regions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_listings" ADD CONSTRAINT "supervision_listings_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_problem_history" ADD CONSTRAINT "supervision_problem_history_problem_id_supervision_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."supervision_problems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_problems" ADD CONSTRAINT "supervision_problems_listing_id_supervision_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."supervision_listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_problems" ADD CONSTRAINT "supervision_problems_inspection_id_supervision_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."supervision_inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_problems" ADD CONSTRAINT "supervision_problems_county_code_regions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_problems" ADD CONSTRAINT "supervision_problems_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "village_indicators" ADD CONSTRAINT "village_indicators_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villages" ADD CONSTRAINT "villages_county_code_regions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "regions_boundary_gist" ON "regions" USING gist ("boundary");--> statement-breakpoint
CREATE INDEX "regions_label_point_gist" ON "regions" USING gist ("label_point");--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "regions_level_idx" ON "regions" USING btree ("level");--> statement-breakpoint
CREATE INDEX "relocation_origins_village_idx" ON "relocation_origins" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "relocation_sites_location_gist" ON "relocation_sites" USING gist ("location");--> statement-breakpoint
CREATE INDEX "relocation_sites_county_idx" ON "relocation_sites" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "region_indicators_level_year_idx" ON "region_indicators" USING btree ("level","year");--> statement-breakpoint
CREATE INDEX "inspections_listing_idx" ON "supervision_inspections" USING btree ("listing_id");--> statement-breakpoint
CREATE INDEX "listings_county_idx" ON "supervision_listings" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "listings_village_idx" ON "supervision_listings" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "problem_history_problem_idx" ON "supervision_problem_history" USING btree ("problem_id");--> statement-breakpoint
CREATE INDEX "problems_county_idx" ON "supervision_problems" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "problems_village_idx" ON "supervision_problems" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "problems_listing_idx" ON "supervision_problems" USING btree ("listing_id");--> statement-breakpoint
CREATE INDEX "problems_status_deadline_idx" ON "supervision_problems" USING btree ("status","deadline");--> statement-breakpoint
CREATE INDEX "village_indicators_year_idx" ON "village_indicators" USING btree ("year");--> statement-breakpoint
CREATE INDEX "villages_location_gist" ON "villages" USING gist ("location");--> statement-breakpoint
CREATE INDEX "villages_county_idx" ON "villages" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "villages_code_prefix_idx" ON "villages" USING btree ("code" text_pattern_ops);