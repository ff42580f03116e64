-- The keys of the rows an import added are recorded by column, one record per lot of up to
-- 250,000 rows: {"village_code": [...], "year": [...]}. Built as one JSON object per key they cost
-- three times as much. Records written before keep their keys, turned round here.
UPDATE "import_changes" AS c SET "inserted" = (
  SELECT jsonb_object_agg(byColumn.key, byColumn.keys) FROM (
    SELECT f.key, jsonb_agg(f.value ORDER BY e.n) AS keys
    FROM jsonb_array_elements(c."inserted") WITH ORDINALITY AS e(item, n), jsonb_each(e.item) AS f
    GROUP BY f.key) AS byColumn)
WHERE jsonb_typeof(c."inserted") = 'array';
--> statement-breakpoint
-- Stored as they are: building the keys of a lot of 250,000 rows took 0.13 s, compressing them
-- another 0.09 s; uncompressed they take some 22 bytes a key on disk.
ALTER TABLE "import_changes" ALTER COLUMN "inserted" SET STORAGE EXTERNAL;
