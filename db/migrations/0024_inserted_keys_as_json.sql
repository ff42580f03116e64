-- The undo record of the keys an import adds (one object of arrays per lot, 1.3 MB of text for a
-- lot of 64,000 national village-years) is kept as json, its text, and compressed: written once,
-- read only by a rollback. As jsonb stored uncompressed (0010) it cost PostgreSQL 50–95 ms a lot
-- to build the binary form (3.7 MB) and write it; as compressed json 20–25 ms and 0.25 MB
-- (PostgreSQL 15, 2026-12-02): some 2 s of the national import, on the database's side, which is
-- the side an import waits for.
ALTER TABLE "import_changes" ALTER COLUMN "inserted" TYPE json USING "inserted"::json;
--> statement-breakpoint
ALTER TABLE "import_changes" ALTER COLUMN "inserted" SET STORAGE EXTENDED;
