CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"region_scope" text,
	"password_hash" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_scope_of_supervisors" CHECK (("users"."role" = 'supervisor') = ("users"."region_scope" IS NOT NULL)),
	CONSTRAINT "users_scope_is_a_code_prefix" CHECK ("users"."region_scope" IS NULL OR "users"."region_scope" ~ '^[0-9]{2}([0-9]{2}([0-9]{2})?)?$')
);
--> statement-breakpoint
ALTER TABLE "supervision_inspections" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "supervision_problems" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "supervision_inspections" ADD CONSTRAINT "supervision_inspections_idempotencyKey_unique" UNIQUE("idempotency_key");--> statement-breakpoint
ALTER TABLE "supervision_problems" ADD CONSTRAINT "supervision_problems_idempotencyKey_unique" UNIQUE("idempotency_key");