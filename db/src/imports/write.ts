// What an import writes, once its valid rows are staged (stage.ts): the staged rows compared with
// the table (a dry run), or written to it, lot by lot, by a few statements that also record what
// they replace (the apply), and what depends on the dataset refreshed afterwards. `plan` is also what a
// rollback writes back with.
import { type SQL, sql } from 'drizzle-orm';
import { arrayLiteral, type Executor, queryRows, type SqlArrayType } from '../bulk.ts';
import { bumpDataVersion, bumpFiguresVersion } from '../queries/dataset.ts';
import { refreshRegionIndicators } from '../queries/rollup.ts';
import type { ChangeExample } from './record.ts';
import { keyOf } from './rows.ts';
import type { DatasetSpec, Row } from './spec.ts';
import { STAGE_ROW, STAGE_TABLE, type StageColumn } from './stage.ts';

const MAX_EXAMPLES = 20;
/** The staged rows an apply writes (new or changed), with the old rows: temporary, like the stage. */
const DIFF_TABLE = 'import_diff';

/** The table's columns an import writes, and how each is computed from the input. */
export function plan(spec: DatasetSpec<never>, context: unknown) {
  const inputs: Array<{ name: string; type: SqlArrayType; get: (row: Row) => unknown }> = [
    ...spec.columns
      .filter((c) => !c.ignored)
      .map((c) => ({ name: c.key, type: c.sqlType, get: (row: Row) => row[c.key] })),
    ...(spec.derived ?? []).map((d) => ({
      name: d.name,
      type: d.type,
      get: (row: Row) => d.get(row, context as never /* the context this spec's own prepare() returned */),
    })),
  ];
  const inputOnly = new Set(spec.inputOnly ?? []);
  const columns = [
    ...inputs.filter((i) => !inputOnly.has(i.name)).map((i) => i.name),
    ...Object.keys(spec.computed ?? {}),
  ];
  const values = columns.filter((c) => !spec.key.includes(c));
  const ident = (name: string) => sql.identifier(name);
  const list = (names: readonly string[], prefix?: string) =>
    sql.join(
      names.map((n) => (prefix ? sql`${sql.raw(prefix)}.${ident(n)}` : ident(n))),
      sql`, `,
    );
  /**
   * The staged rows as rows of the table's columns (and their file row); `apply` gives new rows
   * their key (spec.newKey); `examples` adds the staged row as JSON, keyed like the file.
   */
  const source = (mode: 'compare' | 'apply' | 'examples' = 'compare'): SQL => {
    const selects = columns.map((c) => {
      const computed = spec.computed?.[c];
      if (computed) return sql`${computed} AS ${ident(c)}`;
      if (mode === 'apply' && spec.newKey && c === spec.key[0])
        return sql`coalesce(u.${ident(c)}, ${spec.newKey}) AS ${ident(c)}`;
      return sql`u.${ident(c)}`;
    });
    const staged = mode === 'examples' ? sql`, to_jsonb(u) AS staged_row` : sql``;
    return sql`SELECT u.${ident(STAGE_ROW)}, ${sql.join(selects, sql`, `)}${staged} FROM ${ident(STAGE_TABLE)} u`;
  };
  const incoming = (c: string, from: string) => {
    const value = sql`${sql.raw(from)}.${ident(c)}`;
    return spec.update?.[c] ? spec.update[c](value) : value;
  };
  const nullable = new Set(spec.nullableKey ?? []);
  const keyMatch = (a: string, b: string) =>
    sql.join(
      spec.key.map((k) =>
        nullable.has(k)
          ? sql`${sql.raw(a)}.${ident(k)} IS NOT DISTINCT FROM ${sql.raw(b)}.${ident(k)}`
          : sql`${sql.raw(a)}.${ident(k)} = ${sql.raw(b)}.${ident(k)}`,
      ),
      sql` AND `,
    );
  const differs = (from: string) =>
    sql`(${list(values, 't')}) IS DISTINCT FROM (${sql.join(
      values.map((c) => incoming(c, from)),
      sql`, `,
    )})`;
  const stageColumns: StageColumn[] = inputs;
  return { columns, values, list, source, incoming, keyMatch, differs, ident, stageColumns };
}

/**
 * Dry run: how many staged rows are new and how many differ from the table, with the old and new
 * values of the first changed rows (for examples).
 */
export async function compareStaged(
  db: Executor,
  spec: DatasetSpec<never>,
  context: unknown,
): Promise<{ newRows: number; changedRows: number; changed: Array<{ row: number; values: Row; old: Row }> }> {
  const p = plan(spec, context);
  const table = sql.identifier(spec.table);
  const first = p.ident(spec.key[0]!);
  const matches = (mode: 'compare' | 'examples') => sql`FROM (${p.source(mode)}) src
      LEFT JOIN ${table} t ON ${p.keyMatch('t', 'src')}
      WHERE (t.${first} IS NULL OR ${p.differs('src')})`;
  const [counts] = await queryRows<{ new_rows: number; changed: number }>(
    db,
    sql`SELECT (count(*) FILTER (WHERE t.${first} IS NULL))::int AS new_rows,
        (count(*) FILTER (WHERE t.${first} IS NOT NULL))::int AS changed ${matches('compare')}`,
  );
  // The staged row is keyed like the file (its inputs), the old row by spec.oldJson.
  const examples = await queryRows<{ row: number; values: Row | string; old: Row | string }>(
    db,
    sql`SELECT src.${p.ident(STAGE_ROW)} AS row, src.staged_row AS values, ${spec.oldJson ?? sql`to_jsonb(t)`} AS old
      ${matches('examples')} AND t.${first} IS NOT NULL
      ORDER BY src.${p.ident(STAGE_ROW)} LIMIT ${MAX_EXAMPLES}`,
  );
  const json = (v: Row | string): Row => (typeof v === 'string' ? JSON.parse(v) : v);
  return {
    newRows: Number(counts?.new_rows ?? 0),
    changedRows: Number(counts?.changed ?? 0),
    changed: examples.map((e) => ({ row: Number(e.row), values: json(e.values), old: json(e.old) })),
  };
}

/**
 * Apply of the staged rows (a lot): inserts those that are new, updates those that differ, and
 * records under the import the old values of the rows it changes and the keys of those it adds.
 */
export async function applyStaged(
  db: Executor,
  spec: DatasetSpec<never>,
  context: unknown,
  importId: number,
): Promise<{ newRows: number; changedRows: number }> {
  const p = plan(spec, context);
  const table = sql.identifier(spec.table);
  if (await stagedKeysAreOutsideTable(db, spec, p)) {
    // Every staged row is new: no row needs comparing, so none is probed for (the probe per row
    // cost as much as a third of the insert). A lot of new rows whose key range holds no row of
    // the table takes this path (e.g. a sorted file of villages the table has no figures for).
    const newRows = await recordInsertedKeys(
      db,
      spec,
      importId,
      sql`SELECT * FROM ${sql.identifier(STAGE_TABLE)}`,
    );
    // In key order: the table's key index (and the foreign key's lookups) then take the rows
    // page after page; in the join's hash order the same insert took twice as long.
    await db.execute(sql`INSERT INTO ${table} (${p.list(p.columns)})
      SELECT ${p.list(p.columns)} FROM (${p.source('apply')}) src ORDER BY ${p.list(spec.key)}`);
    return { newRows, changedRows: 0 };
  }
  const set = sql.join(
    [
      ...p.values.map((c) => sql`${p.ident(c)} = ${p.incoming(c, 'c')}`),
      ...(spec.versionColumn
        ? [sql`${p.ident(spec.versionColumn)} = t.${p.ident(spec.versionColumn)} + 1`]
        : []),
    ],
    sql`, `,
  );
  // `import_diff` keeps only the rows that are new or differ, with the old row (and a new row's
  // key, taken once); the record of what the import replaces, the insert of the new rows and the
  // update of the changed ones each read it in their own statement. (One statement with all of
  // them as CTEs took ~45 s for the national file where the plain insert takes 17: the CTEs'
  // RETURNING lists and repeated scans of a spilled CTE.) Not INSERT … ON CONFLICT: the join
  // already says which rows are new, the import holds the dataset's lock, and no other writer
  // adds rows with a key an import could bring.
  const first = p.ident(spec.key[0]!);
  const diff = sql.identifier(DIFF_TABLE);
  // One probe of the key's index per staged row, whatever the planner's figures say: the
  // subquery is LATERAL and fenced (OFFSET 0), so it runs per staged row and cannot be turned into
  // a join. As a join, the planner hashed the whole table for every lot of an apply (a cost that
  // grew as the table filled: 0.5 → 2.1 s per 250,000 national rows), and with hash joins turned
  // off it once scanned the lot for every row of the table instead.
  await db.execute(sql`CREATE TEMP TABLE ${diff} ON COMMIT DROP AS
    SELECT src.*, t.${first} IS NULL AS is_new,
      CASE WHEN t.${first} IS NULL THEN NULL ELSE to_jsonb(t) END AS old_row
    FROM (${p.source('apply')}) src
      LEFT JOIN LATERAL (SELECT * FROM ${table} t WHERE ${p.keyMatch('t', 'src')} OFFSET 0) t ON true
    WHERE t.${first} IS NULL OR ${p.differs('src')}`);
  const [counts] = await queryRows<{ new_rows: number; changed: number }>(
    db,
    sql`SELECT (count(*) FILTER (WHERE is_new))::int AS new_rows,
      (count(*) FILTER (WHERE NOT is_new))::int AS changed FROM ${diff}`,
  );
  const newRows = Number(counts?.new_rows ?? 0);
  const changedRows = Number(counts?.changed ?? 0);
  if (newRows > 0) {
    await recordInsertedKeys(db, spec, importId, sql`SELECT * FROM ${diff} WHERE is_new`);
    await db.execute(sql`INSERT INTO ${table} (${p.list(p.columns)})
      SELECT ${p.list(p.columns)} FROM ${diff} WHERE is_new ORDER BY ${p.list(spec.key)}`);
  }
  if (changedRows > 0) {
    await db.execute(sql`INSERT INTO import_changes (import_id, inserted, old)
      SELECT ${importId}::bigint, NULL::json, old_row FROM ${diff} WHERE NOT is_new`);
    // Its figures, for the update's join (a lot of changed rows against the whole table).
    await db.execute(sql`ANALYZE ${diff}`);
    await db.execute(
      sql`UPDATE ${table} AS t SET ${set} FROM ${diff} c WHERE NOT c.is_new AND ${p.keyMatch('t', 'c')}`,
    );
  }
  await db.execute(sql`DROP TABLE ${diff}`);
  return { newRows, changedRows };
}

/**
 * Whether no row of the table has a key between the least and the greatest staged key (so every
 * staged row is new): the lot's two ends (a top-1 sort each, of the key columns only), then one
 * step of the key's index. Only for a key every staged row carries whole. The whole key, not its first
 * column: lots of a file sorted by village and year share a village at their edges.
 */
async function stagedKeysAreOutsideTable(
  db: Executor,
  spec: DatasetSpec<never>,
  p: ReturnType<typeof plan>,
): Promise<boolean> {
  if (!keyIsWholeOnEveryRow(spec)) return false;
  const stage = sql.identifier(STAGE_TABLE);
  const key = (from: string) => sql`(${p.list(spec.key, from)})`;
  const descending = sql.join(
    spec.key.map((k) => sql`${p.ident(k)} DESC`),
    sql`, `,
  );
  const [range] = await queryRows<{ outside: boolean }>(
    db,
    sql`WITH lo AS (SELECT ${p.list(spec.key)} FROM ${stage} ORDER BY ${p.list(spec.key)} LIMIT 1),
        hi AS (SELECT ${p.list(spec.key)} FROM ${stage} ORDER BY ${descending} LIMIT 1)
      SELECT NOT EXISTS (
        SELECT 1 FROM lo, hi, LATERAL (
          SELECT ${key('t')} <= ${key('hi')} AS inside FROM ${sql.identifier(spec.table)} t
          WHERE ${key('t')} >= ${key('lo')} ORDER BY ${p.list(spec.key, 't')} LIMIT 1) nearest
        WHERE nearest.inside) AS outside`,
  );
  return range?.outside === true;
}

// The undo record of the rows an import adds, `import_changes.inserted`: one JSON object per
// lot, an array of values per key column, {"village_code": [...], "year": [...]} (as one object
// per key it cost three times as much to build). Written from staged rows by `recordInsertedKeys`
// and from a lot copied straight in by `recordInsertedKeyValues` (built in stage.ts); read back as
// rows by `insertedKeys`. Kept as json text, compressed (migration 0024): building jsonb's binary
// form cost the database more than the rest of a lot's bookkeeping.

/** Records the keys of the rows an import adds from staged rows (a rollback deletes them); returns how many. */
async function recordInsertedKeys(
  db: Executor,
  spec: DatasetSpec<never>,
  importId: number,
  rows: SQL,
): Promise<number> {
  const columns = sql.join(
    spec.key.map((k) => sql`${k}::text, to_json(array_agg(r.${sql.identifier(k)}))`),
    sql`, `,
  );
  // The count from the same scan: RETURNING json_array_length(…) would parse the record again.
  const [recorded] = await queryRows<{ keys: number }>(
    db,
    sql`WITH lot AS (
        SELECT json_build_object(${columns}) AS inserted, count(*) AS keys FROM (${rows}) r HAVING count(*) > 0
      ), recorded AS (
        INSERT INTO import_changes (import_id, inserted, old) SELECT ${importId}::bigint, inserted, NULL::jsonb FROM lot
      )
      SELECT keys FROM lot`,
  );
  return Number(recorded?.keys ?? 0);
}

/** Records the keys of a lot copied straight into the table, given as the undo record's JSON. */
export async function recordInsertedKeyValues(
  db: Executor,
  importId: number,
  keysJson: string,
): Promise<void> {
  await db.execute(sql`INSERT INTO import_changes (import_id, inserted, old)
    VALUES (${importId}::bigint, ${keysJson}::json, NULL)`);
}

/**
 * Whether every staged row carries its whole key: not when a key part may be NULL or the database
 * assigns the key (spec.newKey); a key range, or a unique index, then says nothing of a row.
 */
function keyIsWholeOnEveryRow(spec: DatasetSpec<never>): boolean {
  return !spec.newKey && !spec.nullableKey?.length;
}

/** The type name PostgreSQL gives each staged column type (format_type). */
const TYPE_NAMES: Record<SqlArrayType, string> = {
  text: 'text',
  int4: 'integer',
  int8: 'bigint',
  float8: 'double precision',
  bool: 'boolean',
  date: 'date',
  timestamptz: 'timestamp with time zone',
  jsonb: 'jsonb',
};

/**
 * Whether an apply may copy lots straight into the table (stage.ts, DirectCopy): the staged
 * columns are the table's own, in the same order and of the same types (COPY reads the text as the
 * table's types), nothing is computed in SQL, the key is whole on every row, and a unique index on
 * exactly the key, checked at once (not deferred), refuses a row whose key is there already.
 */
export async function canCopyStraightIn(
  db: Executor,
  spec: DatasetSpec<never>,
  p: ReturnType<typeof plan>,
): Promise<boolean> {
  const staged = p.stageColumns.map((c) => c.name);
  if (!keyIsWholeOnEveryRow(spec) || Object.keys(spec.computed ?? {}).length) return false;
  if (staged.length !== p.columns.length || staged.some((name, i) => name !== p.columns[i])) return false;
  const [table] = await queryRows<{ unique_key: boolean; types: Record<string, string> | string | null }>(
    db,
    sql`SELECT EXISTS (
        SELECT 1 FROM pg_index i
        WHERE i.indrelid = to_regclass(${spec.table}) AND i.indisunique AND i.indimmediate
          AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
          AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a
               WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey))
            = (SELECT array_agg(k ORDER BY k) FROM unnest(${arrayLiteral(spec.key)}::text[]) k)
      ) AS unique_key,
      (SELECT jsonb_object_agg(attname, format_type(atttypid, atttypmod)) FROM pg_attribute
        WHERE attrelid = to_regclass(${spec.table}) AND attnum > 0 AND NOT attisdropped) AS types`,
  );
  if (!table?.unique_key) return false;
  const types = (typeof table.types === 'string' ? JSON.parse(table.types) : table.types) ?? {};
  return p.stageColumns.every((c) => types[c.name] === TYPE_NAMES[c.type]);
}

/**
 * The keys of the rows import `importId` added, as rows of the table's type (only the key columns
 * set), from the records `recordInsertedKeys` wrote: `SELECT k.… FROM (insertedKeys(…)) k`.
 */
export function insertedKeys(spec: Pick<DatasetSpec<never>, 'key' | 'table'>, importId: number): SQL {
  const ident = sql.identifier;
  const elements = sql.join(
    spec.key.map((k) => sql`json_array_elements(c.inserted->${k}::text)`),
    sql`, `,
  );
  const object = sql.join(
    spec.key.map((k) => sql`${k}::text, e.${ident(k)}`),
    sql`, `,
  );
  // Read with json's own functions: 5.9–6.6 s for the national import's 2.25 M keys, where casting
  // each record to jsonb first took 6.5–9.2 s (and records stored as jsonb, before 0024, 4.3 s).
  return sql`SELECT k.* FROM import_changes c,
      ROWS FROM (${elements}) AS e(${sql.join(
        spec.key.map((k) => ident(k)),
        sql`, `,
      )}),
      json_populate_record(${sql.raw(`NULL::${spec.table}`)}, json_build_object(${object})) k
    WHERE c.import_id = ${importId} AND c.inserted IS NOT NULL`;
}

export function changeExamples(
  spec: DatasetSpec<never>,
  change: { row: number; values: Row; old: Row },
  sheet: string,
  into: ChangeExample[],
): void {
  const { values, old } = change;
  const inputOnly = new Set(spec.inputOnly ?? []);
  const key = new Set([...spec.key, ...(spec.fileKey ?? [])]);
  for (const c of spec.columns) {
    if (key.has(c.key) || c.ignored) continue;
    const next = values[c.key] ?? null;
    // Kept as it is: an input of a computed column, or a column whose update keeps the stored
    // value for an empty cell (a holder's name an export leaves out).
    if (next === null && (inputOnly.has(c.key) || spec.update?.[c.key])) continue;
    const before = old[c.key] ?? null;
    if (before === next) continue;
    if (into.length >= MAX_EXAMPLES) return;
    into.push({
      key: keyOf(spec, values) ?? '',
      sheet,
      row: change.row,
      column: `${c.zh} (${c.key})`,
      old: before,
      new: next,
    });
  }
}

/** Refreshes what depends on the dataset and moves the version that tells clients it changed. */
export async function refreshAfterChange(
  tx: Executor,
  spec: DatasetSpec<never>,
  rowsChanged: boolean,
  log: (line: string) => void,
): Promise<void> {
  if (!rowsChanged) return; // nothing to refresh, and cached tiles stay valid
  // The ledger and the monitored households are read live (the statistics, the early warning and
  // the household map indicators): moving the data version is what tells caches and clients.
  if (spec.changes === 'supervision' || spec.changes === 'monitoring') {
    await bumpDataVersion(tx);
    return;
  }
  log('refreshing the region rollup…');
  await refreshRegionIndicators(tx);
  await bumpFiguresVersion(tx);
}
