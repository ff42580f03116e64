-- Every change of the dataset row (a write moving data_version or figures_version, a reload that
-- replaces the row) notifies the channel `rrm_dataset`, at commit. The server keeps the versions in
-- memory while it listens (db/src/dataset-watch.ts) instead of reading them before every cached
-- answer and every tile. No payload: a listener reads the row again, so a notification can never
-- carry a version older than the row's.
CREATE FUNCTION "notify_dataset_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('rrm_dataset', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "dataset_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "dataset"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_dataset_changed"();
