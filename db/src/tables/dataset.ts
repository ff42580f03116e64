import { bigint, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row describing what data is loaded: its label (the API returns it, so the demo data always
 * says it is generated), and a data version that every write bumps (tile ETags are keyed by it).
 */
export const dataset = pgTable('dataset', {
  id: text().primaryKey().default('current'),
  label: text().notNull(),
  kind: text({ enum: ['demo', 'imported'] }).notNull(),
  details: jsonb().notNull(),
  dataVersion: bigint({ mode: 'number' }).notNull().default(1),
  /** Moves when the base map changes (figures, designations, boundaries); not with supervision writes. */
  figuresVersion: bigint({ mode: 'number' }).notNull().default(1),
  loadedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /**
   * The monitored demo households still to be loaded in the background after a first start (see
   * migration 0025 and db/seed/pending-households.ts); null when nothing is pending.
   */
  householdsPending: jsonb(),
});
