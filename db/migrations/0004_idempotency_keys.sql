-- Idempotency keys belong to the user who sent them (issue #11, item 10). Until now a key was a
-- unique column of the written row, looked up before authorization: another user's key answered
-- with that user's record, and a squatted key silently dropped a later write. Keys now live in
-- their own table, keyed by (user, key), with the operation and a SHA-256 of the request so that a
-- key sent again with another request is refused rather than answered.
CREATE TABLE "idempotency_keys" (
	"user_id" integer NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text,
	"result_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key"),
	CONSTRAINT "idempotency_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action
);
--> statement-breakpoint
-- A problem's key goes to the user who reported it (its 'reported' history entry names them).
-- Keys moved over carry no request hash (it was never kept): a retry of them is answered as before.
INSERT INTO "idempotency_keys" ("user_id", "key", "operation", "request_hash", "result_id", "created_at")
SELECT DISTINCT ON (u.id, p.idempotency_key) u.id, p.idempotency_key, 'reportProblem', NULL, p.id, h.changed_at
  FROM "supervision_problems" p
  JOIN "supervision_problem_history" h ON h.problem_id = p.id AND h.action = 'reported'
  JOIN "users" u ON u.username = h.changed_by
  WHERE p.idempotency_key IS NOT NULL
  ORDER BY u.id, p.idempotency_key, p.id
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- An inspection's key goes to the user who recorded it. Rows whose user cannot be found are dropped.
INSERT INTO "idempotency_keys" ("user_id", "key", "operation", "request_hash", "result_id", "created_at")
SELECT DISTINCT ON (u.id, i.idempotency_key) u.id, i.idempotency_key, 'recordInspection', NULL, i.id, i.created_at
  FROM "supervision_inspections" i
  JOIN "users" u ON u.username = i.created_by
  WHERE i.idempotency_key IS NOT NULL
  ORDER BY u.id, i.idempotency_key, i.id
ON CONFLICT DO NOTHING;
--> statement-breakpoint
ALTER TABLE "supervision_inspections" DROP CONSTRAINT "supervision_inspections_idempotencyKey_unique";--> statement-breakpoint
ALTER TABLE "supervision_problems" DROP CONSTRAINT "supervision_problems_idempotencyKey_unique";--> statement-breakpoint
ALTER TABLE "supervision_inspections" DROP COLUMN "idempotency_key";--> statement-breakpoint
ALTER TABLE "supervision_problems" DROP COLUMN "idempotency_key";
