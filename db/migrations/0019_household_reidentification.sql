-- A re-identified household keeps its last removal (#17 review): `removed_on` and
-- `removal_verification` stay when the risk returns, and `reidentified_on` says when it did, so
-- that the counts of past years (under monitoring, risk removed) stay as they were. Before this, a
-- re-identification cleared the removal and rewrote every year since it. The rule "risk removed at
-- the end of a day" is db/src/monitoring/rules.ts `removedAt`.
ALTER TABLE "households" ADD COLUMN "reidentified_on" date;
--> statement-breakpoint
ALTER TABLE "households" DROP CONSTRAINT "households_removed_has_date";
--> statement-breakpoint
-- Households re-identified before this migration: their last removal and re-identification, from
-- their history.
UPDATE "households" h SET
	"removed_on" = r.removed_on, "removal_verification" = r.note, "reidentified_on" = i.on_date
FROM (SELECT DISTINCT ON (household_id) household_id, on_date AS removed_on, note FROM "household_history"
		WHERE action = 'risk_removed' ORDER BY household_id, id DESC) r,
	(SELECT DISTINCT ON (household_id) household_id, on_date FROM "household_history"
		WHERE action = 'reidentified' ORDER BY household_id, id DESC) i
WHERE h."status" = 'monitoring' AND r.household_id = h.id AND i.household_id = h.id AND i.on_date >= r.removed_on;
--> statement-breakpoint
-- Removed: a removal date, after any re-identification. Monitoring: never removed, or re-identified
-- on or after the last removal.
ALTER TABLE "households" ADD CONSTRAINT "households_status_dates" CHECK (
	CASE "status"
		WHEN 'risk_removed' THEN "removed_on" IS NOT NULL AND ("reidentified_on" IS NULL OR "reidentified_on" <= "removed_on")
		ELSE ("removed_on" IS NULL) = ("reidentified_on" IS NULL) AND ("reidentified_on" IS NULL OR "reidentified_on" >= "removed_on")
	END);
