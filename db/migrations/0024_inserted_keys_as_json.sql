-- The undo record of the keys an import adds (one object of arrays per lot, 1.3 MB of text for a
-- lot of 64,000 national village-years) is kept as json, its text, and compressed: written once,
-- read by a rollback only. As jsonb stored uncompressed (0010) it cost PostgreSQL 50–95 ms a lot
-- to build the binary form (1.9 MB) and write it; as compressed json 20–25 ms and 0.25 MB
-- (PostgreSQL 15, 2026-12-02): some 1.4 s of the national import, on the database's side, which
-- is the side an import waits for. Reading the national import's keys back takes a rollback
-- 5.9–6.6 s instead of 4.3: imports are the routine, rollbacks the exception.
-- The type change rewrites import_changes (under an exclusive lock, once, at the migration): the
-- old values of every import's changed rows are in it too, so on a database with a long import
-- history the first start after this version takes that long more, and the table's size again
-- on disk meanwhile.
ALTER TABLE "import_changes" ALTER COLUMN "inserted" TYPE json USING "inserted"::json;
--> statement-breakpoint
-- Compressed again (0010 had said EXTERNAL: uncompressed), said here rather than left to the type
-- change's default.
ALTER TABLE "import_changes" ALTER COLUMN "inserted" SET STORAGE EXTENDED;
