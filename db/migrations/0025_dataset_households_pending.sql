-- A first start answers "ready" once the map's data is committed and loads the 1.16 M monitored
-- demo households after, in the background (db/seed/pending-households.ts). Until they land, this
-- says so: every monitoring read, write and import answers "still loading" instead of counting
-- from empty tables. It also keeps what that load needs to finish after a restart: which load it
-- is, and the keys and indexes of the household tables it set aside (the definitions, as the
-- catalogue gave them). NULL: nothing pending.
ALTER TABLE "dataset" ADD COLUMN "households_pending" jsonb;
