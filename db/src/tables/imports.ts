import { bigint, index, integer, json, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Imports of users' data (migration 0007): applied, refused, and rolled back ones. */
export const imports = pgTable(
  'imports',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The dataset's name as the CLI and the API spell it: `villages`, `village-years`. */
    dataset: text().notNull(),
    fileName: text().notNull(),
    sha256: text().notNull(),
    /** csv or xlsx. */
    format: text().notNull(),
    /** The encoding detected for a CSV (utf-8, gb18030). */
    encoding: text(),
    /** "cli:<os user>" or "user:<username>". */
    who: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** applied, rejected (the file had errors; nothing written), failed (rolled back), rolled-back. */
    result: text().notNull(),
    rows: integer().notNull().default(0),
    newRows: integer().notNull().default(0),
    changedRows: integer().notNull().default(0),
    unchangedRows: integer().notNull().default(0),
    invalidRows: integer().notNull().default(0),
    errors: integer().notNull().default(0),
    /** The dataset's details.parts entry before this import (restored on rollback). */
    previousPart: jsonb(),
    rolledBackAt: timestamp({ withTimezone: true }),
    rolledBackBy: text(),
  },
  (t) => [index('imports_dataset_at_idx').on(t.dataset, t.id)],
);

/** What an applied import replaced: old values of changed rows, and the keys it inserted. */
export const importChanges = pgTable(
  'import_changes',
  {
    importId: bigint({ mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    /**
     * The keys of the rows this import inserted, by key column: {"code": [...]} (one record per
     * lot). json, not jsonb: written once, read by a rollback only (migration 0024).
     */
    inserted: json(),
    /** The whole row as it was before the import changed it. */
    old: jsonb(),
  },
  (t) => [index('import_changes_import_idx').on(t.importId)],
);
