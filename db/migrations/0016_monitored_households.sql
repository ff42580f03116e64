-- 防止返贫动态监测 (#17): each province's yearly monitoring line, the monitored households
-- (监测户) themselves, their assistance measures (帮扶措施) and their history. The vocabularies
-- below are those of db/src/tables/monitoring.ts. Households carry a pseudonymous number only;
-- nothing here names a person.
CREATE TABLE "monitoring_lines" (
	"province_code" text NOT NULL REFERENCES "regions"("code"),
	"year" integer NOT NULL CHECK ("year" BETWEEN 2020 AND 2100),
	-- yuan per person per year
	"line_yuan" integer NOT NULL CHECK ("line_yuan" BETWEEN 1000 AND 100000),
	"source" text NOT NULL CHECK ("source" IN ('generated', 'published', 'set')),
	"source_note" text,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	PRIMARY KEY ("province_code", "year")
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL UNIQUE,
	"village_code" text NOT NULL REFERENCES "villages"("code"),
	-- left(village_code, 6), kept for the scope checks and the county lists' index
	"county_code" text NOT NULL,
	"size" smallint NOT NULL CHECK ("size" BETWEEN 1 AND 30),
	"labour" smallint NOT NULL CHECK ("labour" >= 0 AND "labour" <= "size"),
	"type" text NOT NULL CHECK ("type" IN ('unstable', 'marginal', 'sudden_hardship')),
	"causes" text[] NOT NULL CHECK (cardinality("causes") BETWEEN 1 AND 10 AND "causes" <@ ARRAY['illness', 'disability',
		'schooling', 'disaster', 'accident', 'epidemic', 'business_failure', 'unstable_work', 'lack_of_labour', 'other']),
	-- the first identification; a re-identification is in the history
	"identified_on" date NOT NULL,
	-- per-capita income (yuan) of the last assessed year
	"income_year" integer,
	"income_per_capita" integer CHECK ("income_per_capita" >= 0),
	"status" text NOT NULL CHECK ("status" IN ('monitoring', 'risk_removed')),
	"removed_on" date,
	"removal_verification" text,
	-- A summary of the household's measures, so that the statistics and the early warning read one
	-- row per household: the first measure's start, the day the last one runs to ('infinity' while
	-- one is open-ended), and its small loans not repaid and overdue. Kept by
	-- db/src/monitoring/measures.ts whenever its measures change.
	"first_measure_on" date,
	"measures_until" date,
	"loan_balance_yuan" bigint DEFAULT 0 NOT NULL,
	"loan_overdue_yuan" bigint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "households_county_is_village_prefix" CHECK ("county_code" = left("village_code", 6)),
	CONSTRAINT "households_income_has_year" CHECK (("income_year" IS NULL) = ("income_per_capita" IS NULL)),
	CONSTRAINT "households_removed_has_date" CHECK (("status" = 'risk_removed') = ("removed_on" IS NOT NULL)),
	CONSTRAINT "households_removed_after_identified" CHECK ("removed_on" IS NULL OR "removed_on" >= "identified_on")
);
--> statement-breakpoint
CREATE INDEX "households_village_idx" ON "households" USING btree ("village_code" text_pattern_ops, "id");
--> statement-breakpoint
CREATE INDEX "households_county_idx" ON "households" USING btree ("county_code", "status", "id");
--> statement-breakpoint
CREATE TABLE "household_measures" (
	"id" serial PRIMARY KEY NOT NULL,
	"household_id" integer NOT NULL REFERENCES "households"("id"),
	"kind" text NOT NULL CHECK ("kind" IN ('industry', 'employment', 'public_welfare_post', 'small_loan', 'health',
		'education', 'social_assistance', 'other')),
	"description" text NOT NULL,
	"started_on" date NOT NULL,
	-- null while it lasts
	"ended_on" date,
	"amount_yuan" integer CHECK ("amount_yuan" >= 0),
	"loan_term_months" smallint CHECK ("loan_term_months" BETWEEN 1 AND 120),
	"loan_state" text CHECK ("loan_state" IN ('current', 'repaid', 'overdue')),
	"responsible_unit" text,
	-- a small loan, and only a small loan, has an amount, a term and a state
	CONSTRAINT "household_measures_loan_state" CHECK (("kind" = 'small_loan') = ("loan_state" IS NOT NULL)),
	CONSTRAINT "household_measures_loan_term" CHECK (("loan_state" IS NULL) = ("loan_term_months" IS NULL)),
	CONSTRAINT "household_measures_loan_amount" CHECK ("kind" <> 'small_loan' OR "amount_yuan" IS NOT NULL),
	CONSTRAINT "household_measures_ends_after_start" CHECK ("ended_on" IS NULL OR "ended_on" >= "started_on")
);
--> statement-breakpoint
CREATE INDEX "household_measures_household_idx" ON "household_measures" USING btree ("household_id", "kind");
--> statement-breakpoint
CREATE TABLE "household_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"household_id" integer NOT NULL REFERENCES "households"("id"),
	"on_date" date NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL,
	-- identified, risk_removed, reidentified, income_assessed
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"note" text
);
--> statement-breakpoint
CREATE INDEX "household_history_household_idx" ON "household_history" USING btree ("household_id", "id");
