// Rollback: undoes the most recent applied import of a dataset from what its apply recorded
// (the old values of the rows it changed, the keys of the rows it added).
import { sql } from 'drizzle-orm';
import { queryRows } from '../bulk.ts';
import type { Database } from '../client.ts';
import { assertHouseholdsLoaded } from '../monitoring/pending.ts';
import { lockDataset } from '../queries/dataset.ts';
import { appendAudit, importAuditWho } from '../supervision/audit.ts';
import { datasetSpec, ImportUsageError } from './datasets.ts';
import { insertedKeys, plan, refreshAfterChange } from './write.ts';

export interface RollbackResult {
  importId: number;
  dataset: string;
  file: string;
  restoredRows: number;
  deletedRows: number;
}

/** Undoes the most recent applied import of a dataset (restores what it replaced, removes what it added). */
export async function rollbackImport(
  database: Database,
  /** `importId`: the import the caller means; refused when it is no longer the latest. */
  options: {
    dataset: string;
    who: string;
    importId?: number;
    /** For the audit log (absent for the command line). */
    userId?: number | null;
    clientAddress?: string | null;
  },
): Promise<RollbackResult> {
  const spec = datasetSpec(options.dataset);
  const table = sql.identifier(spec.table);
  // Rollback reads only the column lists, never a derived value: no context is needed.
  const p = plan(spec, null);
  return database.db.transaction(async (tx) => {
    await lockDataset(tx);
    // The demo households of a first start are still landing (monitoring/pending.ts).
    await assertHouseholdsLoaded(tx);
    const [last] = await queryRows<{ id: number; file_name: string; previous_part: unknown }>(
      tx,
      sql`SELECT id, file_name, previous_part FROM imports
        WHERE dataset = ${spec.name} AND result = 'applied' AND new_rows + changed_rows > 0
        ORDER BY id DESC LIMIT 1`,
    );
    // An import that changed nothing (the same file again) has nothing to undo: the one before it is
    // the import whose values are in place.
    if (!last) throw new ImportUsageError(`there is no applied import of ${spec.name} to roll back`);
    const id = Number(last.id);
    if (options.importId != null && options.importId !== id)
      throw new ImportUsageError(
        `import ${options.importId} is not the latest applied import of ${spec.name} (import ${id} is): reload and try again`,
      );
    const rowType = sql.raw(`NULL::${spec.table}`);
    if (spec.versionColumn) {
      // Rows changed again since the import (a ledger edit) keep that work: no rollback over it.
      const version = p.ident(spec.versionColumn);
      const moved = await queryRows<{ key: string }>(
        tx,
        sql`SELECT concat_ws(' ', ${sql.join(
          spec.key.map((k) => sql`t.${p.ident(k)}`),
          sql`, `,
        )}) AS key
          FROM import_changes c, jsonb_populate_record(${rowType}, c.old) o, ${table} t
          WHERE c.import_id = ${id} AND c.old IS NOT NULL AND ${p.keyMatch('t', 'o')}
            AND t.${version} <> o.${version} + 1
          ORDER BY 1 LIMIT 10`,
      );
      if (moved.length)
        throw new ImportUsageError(
          `cannot roll back import ${id} of ${spec.name}: rows it changed were changed again since (${moved.map((m) => m.key).join(', ')}); change them back by hand or import a corrected file`,
        );
    }
    if (spec.versionColumn) {
      // Rows the import added and someone changed since (their version moved from the first one):
      // deleting them would throw that work away.
      const edited = await queryRows<{ key: string }>(
        tx,
        sql`SELECT concat_ws(' ', ${sql.join(
          spec.key.map((k) => sql`t.${p.ident(k)}`),
          sql`, `,
        )}) AS key
          FROM (${insertedKeys(spec, id)}) o, ${table} t
          WHERE ${p.keyMatch('t', 'o')} AND t.${p.ident(spec.versionColumn)} > 1
          ORDER BY 1 LIMIT 10`,
      );
      if (edited.length)
        throw new ImportUsageError(
          `cannot roll back import ${id} of ${spec.name}: rows it added were changed since (${edited.map((m) => m.key).join(', ')}); their later work would be lost — change them by hand or import a corrected file`,
        );
    }
    // Keys recorded in another form (before migration 0010) would read as none, and the rows
    // they name would stay: refuse instead.
    const [unread] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM import_changes
        WHERE import_id = ${id} AND inserted IS NOT NULL AND json_typeof(inserted) <> 'object'`,
    );
    if (Number(unread?.n ?? 0) > 0)
      throw new Error(
        `import ${id} recorded its added rows in a form this version does not read: run the migrations first`,
      );
    await spec.beforeRollback?.(tx, id, options.who);
    // ROW(…): a table with one value column (relocation_origins) is a one-column row, not a scalar.
    const restored = await queryRows<{ n: number }>(
      tx,
      sql`WITH r AS (
          UPDATE ${table} AS t SET (${p.list(p.values)}) = ROW(${p.list(p.values, 'o')})
            ${spec.versionColumn ? sql`, ${p.ident(spec.versionColumn)} = t.${p.ident(spec.versionColumn)} + 1` : sql``}
          FROM import_changes c, jsonb_populate_record(${rowType}, c.old) o
          WHERE c.import_id = ${id} AND c.old IS NOT NULL AND ${p.keyMatch('t', 'o')}
          RETURNING 1)
        SELECT count(*)::int AS n FROM r`,
    );
    let deleted: Array<{ n: number }>;
    try {
      deleted = await queryRows<{ n: number }>(
        tx,
        sql`WITH d AS (
            DELETE FROM ${table} AS t USING (${insertedKeys(spec, id)}) o
            WHERE ${p.keyMatch('t', 'o')}
            RETURNING 1)
          SELECT count(*)::int AS n FROM d`,
      );
    } catch (error) {
      const text = `${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`;
      if (/foreign key/i.test(text)) {
        // "… violates foreign key constraint "x" on table "users"": the table that still uses them.
        const user = /constraint "[^"]+" on table "([a-z_]+)"/.exec(text)?.[1];
        throw new ImportUsageError(
          `cannot roll back import ${id} of ${spec.name}: rows it added are used by ${user ? `rows of ${user}` : 'other data'} written since (roll back the imports that added those, or change those rows first)`,
        );
      }
      throw error;
    }
    await spec.afterRollback?.(tx, id);
    await tx.execute(sql`UPDATE imports SET result = 'rolled-back', rolled_back_at = now(),
      rolled_back_by = ${options.who} WHERE id = ${id}`);
    const previous = last.previous_part;
    if (previous == null)
      await tx.execute(
        sql`UPDATE dataset SET details = details #- ARRAY['parts', ${spec.part}::text] WHERE id = 'current'`,
      );
    else
      await tx.execute(
        sql`UPDATE dataset SET details = jsonb_set(details, ARRAY['parts', ${spec.part}::text],
          ${typeof previous === 'string' ? previous : JSON.stringify(previous)}::jsonb) WHERE id = 'current'`,
      );
    await refreshAfterChange(tx, spec, true, () => {});
    await appendAudit(tx, importAuditWho(options), {
      action: 'import.rolled_back',
      targetKind: 'import',
      targetId: id,
      note: `${spec.name} from ${last.file_name}: ${restored[0]?.n ?? 0} rows restored, ${deleted[0]?.n ?? 0} removed`,
    });
    return {
      importId: id,
      dataset: spec.name,
      file: last.file_name,
      restoredRows: Number(restored[0]?.n ?? 0),
      deletedRows: Number(deleted[0]?.n ?? 0),
    };
  });
}
