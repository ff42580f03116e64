-- Evidence (佐证材料, #16): photos and documents attached to problems, stored in the database by
-- content (SHA-256), so that an attachment is written in the same transaction as the move that
-- needs it, is replicated and backed up with everything else, and is served by any instance.
-- A file is uploaded first (evidence_uploads: who uploaded which content, under which name); a
-- problem's write then attaches uploads of the same user. Content that no problem uses is
-- deleted a day after its upload (the server's hourly job).
CREATE TABLE "evidence_files" (
	"sha256" text PRIMARY KEY NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"content" bytea NOT NULL,
	"thumbnail" bytea,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_files_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "evidence_uploads" (
	"user_id" integer NOT NULL,
	"sha256" text NOT NULL REFERENCES "evidence_files"("sha256") ON DELETE CASCADE,
	"file_name" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("user_id", "sha256")
);
--> statement-breakpoint
CREATE TABLE "problem_evidence" (
	"id" serial PRIMARY KEY NOT NULL,
	"problem_id" integer NOT NULL REFERENCES "supervision_problems"("id"),
	"sha256" text NOT NULL REFERENCES "evidence_files"("sha256"),
	"file_name" text NOT NULL,
	"attached_by" text NOT NULL,
	"attached_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problem_evidence_once" UNIQUE ("problem_id", "sha256")
);
--> statement-breakpoint
CREATE INDEX "problem_evidence_sha256_idx" ON "problem_evidence" USING btree ("sha256");
