-- The audit log (#16): every write in the product — problems, listings, inspections, users,
-- departments, imports, logins and their failures — appends one row: who, when, what, from → to,
-- and the client's address. It is append-only: the triggers below refuse UPDATE, DELETE and
-- TRUNCATE from any connection; only the table's owner could drop them, so a deployment that must
-- be sure runs the product as a role that does not own it (docs/operations.md). It keeps no
-- foreign keys, so that a reload of the data (which deletes department users) never touches it.
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"user_id" integer,
	"username" text,
	"action" text NOT NULL,
	"target_kind" text,
	"target_id" text,
	"region_code" text,
	"changes" jsonb,
	"note" text,
	"client_address" text
);
--> statement-breakpoint
CREATE INDEX "audit_log_user_idx" ON "audit_log" USING btree ("username", "id");
--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_kind", "target_id", "id");
--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action", "id");
--> statement-breakpoint
CREATE INDEX "audit_log_region_idx" ON "audit_log" USING btree ("region_code" text_pattern_ops, "id");
--> statement-breakpoint
CREATE INDEX "audit_log_client_idx" ON "audit_log" USING btree ("client_address", "id");
--> statement-breakpoint
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_change" BEFORE UPDATE OR DELETE ON "audit_log"
	FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
	FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
