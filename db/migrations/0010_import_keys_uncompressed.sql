-- The keys an import added (import_changes.inserted, 10,000 per row, for its rollback) are stored
-- without compression: pglz took 7 of the 40 seconds of the national village-years import, for
-- a list of codes read only by a rollback.
ALTER TABLE "import_changes" ALTER COLUMN "inserted" SET STORAGE EXTERNAL;
