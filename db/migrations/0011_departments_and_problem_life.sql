-- The ledger as county departments run it (#16): a registry of each county's departments (责任单位),
-- a `department` role whose users belong to one of them, and a problem's life beyond its status:
-- source (问题来源), rectification measures (整改措施), the person responsible (责任人), the
-- department's sign-off (签收) and the verification (验收) that closes it or sends it back.
CREATE TABLE "departments" (
	"id" serial PRIMARY KEY NOT NULL,
	"county_code" text NOT NULL REFERENCES "regions"("code"),
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"contact" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "departments_county_name_key" UNIQUE ("county_code", "name")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "department_id" integer REFERENCES "departments"("id");
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_scope_of_supervisors";
--> statement-breakpoint
-- A department user's scope is their department's county: the county checks of every write apply as they are.
ALTER TABLE "users" ADD CONSTRAINT "users_scope_of_supervisors" CHECK (("users"."role" IN ('supervisor', 'department')) = ("users"."region_scope" IS NOT NULL));
--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_department_of_department_users" CHECK (("users"."role" = 'department') = ("users"."department_id" IS NOT NULL));
--> statement-breakpoint
ALTER TABLE "supervision_problems"
	ADD COLUMN "department_id" integer REFERENCES "departments"("id"),
	ADD COLUMN "source" text,
	ADD COLUMN "measures" text,
	ADD COLUMN "responsible_person" text,
	ADD COLUMN "signed_by" text,
	ADD COLUMN "signed_at" timestamp with time zone,
	ADD COLUMN "verified_by" text,
	ADD COLUMN "verified_at" timestamp with time zone,
	ADD COLUMN "verification_result" text,
	ADD COLUMN "verification_note" text;
--> statement-breakpoint
CREATE INDEX "problems_department_idx" ON "supervision_problems" USING btree ("department_id");
