// Column-wise bulk insert through `unnest`: one statement per batch, one array parameter per column.
// It is the same SQL on PGlite and PostgreSQL, and far faster than row-by-row or VALUES lists.
import { type SQL, sql } from 'drizzle-orm';
import type { AppDb } from './client.ts';

export type SqlArrayType = 'text' | 'int4' | 'int8' | 'float8' | 'bool' | 'date' | 'timestamptz' | 'jsonb';

export interface BulkColumn {
  /** Target column; a name starting with "_" is an input only, used by `computed` expressions. */
  name: string;
  type: SqlArrayType;
  values: readonly unknown[];
}

/** Any drizzle handle: the database or a transaction. Statements are SQL, run with `execute`. */
export type Executor = Pick<AppDb, 'execute'>;

export async function bulkInsert(
  db: Executor,
  table: string,
  columns: BulkColumn[],
  computed: Record<string, SQL> = {},
): Promise<number> {
  const n = columns[0]?.values.length ?? 0;
  if (n === 0) return 0;
  for (const c of columns) {
    if (c.values.length !== n)
      throw new Error(`bulkInsert ${table}: column ${c.name} has ${c.values.length} values, expected ${n}`);
  }
  const targets = [
    ...columns.filter((c) => !c.name.startsWith('_')).map((c) => c.name),
    ...Object.keys(computed),
  ];
  const selects = [
    ...columns.filter((c) => !c.name.startsWith('_')).map((c) => sql`u.${sql.identifier(c.name)}`),
    ...Object.values(computed),
  ];
  // Each column travels as one PostgreSQL array literal in a text parameter, cast on the server:
  // drivers infer array parameter types differently (postgres.js takes a bool[] for a bool), a
  // literal means the same thing to both.
  const unnestArgs = columns.map((c) =>
    c.type === 'jsonb'
      ? sql`${arrayLiteral(c.values.map((v) => (v == null ? null : JSON.stringify(v))))}::text[]`
      : sql`${arrayLiteral(c.values)}::${sql.raw(c.type)}[]`,
  );
  const aliases = columns.map((c) => sql.identifier(c.name));
  await db.execute(sql`
    INSERT INTO ${sql.identifier(table)} (${sql.join(
      targets.map((t) => sql.identifier(t)),
      sql`, `,
    )})
    SELECT ${sql.join(selects, sql`, `)}
    FROM unnest(${sql.join(unnestArgs, sql`, `)}) AS u(${sql.join(aliases, sql`, `)})`);
  return n;
}

/** Splits rows into batches and inserts each, column-wise. */
export async function bulkInsertRows<T>(
  db: Executor,
  table: string,
  rows: readonly T[],
  columns: ReadonlyArray<readonly [name: string, type: SqlArrayType, get: (row: T) => unknown]>,
  computed: Record<string, SQL> = {},
  batchSize = 10_000,
): Promise<number> {
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    await bulkInsert(
      db,
      table,
      columns.map(([name, type, get]) => ({ name, type, values: batch.map(get) })),
      computed,
    );
  }
  return rows.length;
}

/** A parenthesised list of parameters for `IN`: sqlList(['52', '53']) → ($1, $2). */
export function sqlList(values: readonly (string | number)[]): SQL {
  return sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/** Normalises a driver result to its rows (postgres.js returns an array, PGlite `{ rows }`). */
export function resultRows<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/** Runs a query on any drizzle handle and returns plain rows. */
export async function queryRows<T = Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  return resultRows<T>(await db.execute(query));
}

/** Formats values as a PostgreSQL array literal: every element quoted, NULL for null. */
export function arrayLiteral(values: readonly unknown[]): string {
  const parts = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    const text = v instanceof Date ? v.toISOString() : String(v);
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${parts.join(',')}}`;
}

/** A key or index set aside for a load, as the catalogue defines it: enough to build it again. */
export interface SetAsideKey {
  kind: 'constraint' | 'index';
  table: string;
  name: string;
  definition: string;
}

/**
 * Drops the secondary indexes, unique constraints and foreign keys of `tables` and returns their
 * definitions (read from the catalogue, so the migration stays the one place that says what they
 * are), for restoreKeys to build them again after a load. One pass to build an index or check a key
 * over the loaded rows is much cheaper than keeping them up row by row: on PGlite it halves a large
 * load.
 */
export async function setKeysAside(tx: Executor, tables: readonly string[]): Promise<SetAsideKey[]> {
  const names = sql`ARRAY[${sql.join(
    tables.map((t) => sql`${t}`),
    sql`, `,
  )}]::regclass[]`;
  const constraints = await queryRows<{ table: string; name: string; definition: string }>(
    tx,
    sql`SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
        FROM pg_constraint WHERE conrelid = ANY(${names}) AND contype IN ('f', 'u')
        ORDER BY contype = 'f' DESC, conname`,
  );
  const indexes = await queryRows<{ table: string; name: string; definition: string }>(
    tx,
    sql`SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS name,
          pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_index i WHERE i.indrelid = ANY(${names}) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 2`,
  );
  // Foreign keys first (they may rest on a unique key), then unique keys, then plain indexes.
  for (const c of constraints)
    await tx.execute(sql`ALTER TABLE ${sql.raw(c.table)} DROP CONSTRAINT ${sql.identifier(c.name)}`);
  for (const i of indexes) await tx.execute(sql`DROP INDEX ${sql.raw(i.name)}`);
  return [
    ...constraints.map((c) => ({ kind: 'constraint' as const, ...c })),
    ...indexes.map((i) => ({ kind: 'index' as const, ...i })),
  ];
}

/**
 * Builds what setKeysAside dropped, in the reverse order: plain indexes, then unique keys, then the
 * foreign keys that may rest on them; `run` runs each statement (a background load runs each as a
 * step of its own, with requests let in between).
 */
export async function restoreKeys(
  keys: readonly SetAsideKey[],
  run: (statement: SQL) => Promise<unknown>,
): Promise<void> {
  for (const i of keys.filter((k) => k.kind === 'index')) await run(sql.raw(i.definition));
  for (const c of keys.filter((k) => k.kind === 'constraint').reverse())
    await run(
      sql`ALTER TABLE ${sql.raw(c.table)} ADD CONSTRAINT ${sql.identifier(c.name)} ${sql.raw(c.definition)}`,
    );
}
