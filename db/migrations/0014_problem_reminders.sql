-- Reminders of overdue problems (#16): one per overdue problem per day (the ledger's day in China),
-- addressed by how long the problem has been overdue — its department, then after 7 days the
-- county's supervisors, after 30 the admins. The unique key makes the daily job idempotent, on one
-- server or several. `delivered_at` is set once a channel has taken the reminder's digest; a run
-- that finds undelivered reminders of the day sends them again.
CREATE TABLE "problem_reminders" (
	"id" serial PRIMARY KEY NOT NULL,
	"problem_id" integer NOT NULL REFERENCES "supervision_problems"("id"),
	"day" date NOT NULL,
	"days_overdue" integer NOT NULL,
	"level" smallint NOT NULL,
	"county_code" text NOT NULL,
	"department_id" integer,
	"department" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "problem_reminders_level_check" CHECK ("level" BETWEEN 0 AND 2),
	CONSTRAINT "problem_reminders_once_a_day" UNIQUE ("problem_id", "day")
);
--> statement-breakpoint
CREATE INDEX "problem_reminders_day_idx" ON "problem_reminders" USING btree ("day", "county_code");
