// Pass 2 of an import: each batch of valid rows compared with the table (a dry run) or written
// to it in one statement that also records what it replaced, and what depends on the dataset
// refreshed afterwards. `plan` is also what a rollback writes back with.
import { type SQL, sql } from 'drizzle-orm';
import { arrayLiteral, type Executor, queryRows, type SqlArrayType } from '../bulk.ts';
import { bumpDataVersion, bumpFiguresVersion } from '../queries/dataset.ts';
import { refreshRegionIndicators } from '../queries/rollup.ts';
import type { ChangeExample } from './record.ts';
import { keyOf, type ParsedRow } from './rows.ts';
import type { DatasetSpec, Row } from './spec.ts';

const MAX_EXAMPLES = 20;

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
  /** The batch as rows of the table's columns; `apply` gives new rows their key (spec.newKey). */
  const source = (rows: readonly ParsedRow[], mode: 'compare' | 'apply' = 'compare'): SQL => {
    const args = inputs.map(
      (i) => sql`${arrayLiteral(rows.map((r) => i.get(r.values)))}::${sql.raw(i.type)}[]`,
    );
    const selects = columns.map((c) => {
      const computed = spec.computed?.[c];
      if (computed) return sql`${computed} AS ${ident(c)}`;
      if (mode === 'apply' && spec.newKey && c === spec.key[0])
        return sql`coalesce(u.${ident(c)}, ${spec.newKey}) AS ${ident(c)}`;
      return sql`u.${ident(c)}`;
    });
    return sql`SELECT ${sql.join(selects, sql`, `)} FROM unnest(${sql.join(args, sql`, `)}) AS u(${list(inputs.map((i) => i.name))})`;
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
  return { columns, values, list, source, incoming, keyMatch, differs, ident };
}

/** Dry run of one batch: which rows are new, which changed (with their old values). */
export async function compareBatch(
  db: Executor,
  spec: DatasetSpec<never>,
  context: unknown,
  rows: readonly ParsedRow[],
): Promise<{ newRows: number; changed: Array<{ row: ParsedRow; old: Record<string, unknown> }> }> {
  const p = plan(spec, context);
  const table = sql.identifier(spec.table);
  const found = await queryRows<{ i: number; is_new: boolean; old: Record<string, unknown> | string | null }>(
    db,
    sql`WITH src AS (SELECT row_number() OVER () AS i, s.* FROM (${p.source(rows)}) s)
      SELECT src.i::int AS i, t.${p.ident(spec.key[0]!)} IS NULL AS is_new,
        CASE WHEN t.${p.ident(spec.key[0]!)} IS NULL THEN NULL ELSE ${spec.oldJson ?? sql`to_jsonb(t)`} END AS old
      FROM src LEFT JOIN ${table} t ON ${p.keyMatch('t', 'src')}
      WHERE t.${p.ident(spec.key[0]!)} IS NULL OR ${p.differs('src')}`,
  );
  let newRows = 0;
  const changed: Array<{ row: ParsedRow; old: Record<string, unknown> }> = [];
  for (const f of found) {
    if (f.is_new) newRows++;
    else
      changed.push({
        row: rows[f.i - 1]!,
        old: typeof f.old === 'string' ? JSON.parse(f.old) : (f.old ?? {}),
      });
  }
  return { newRows, changed };
}

/** Apply of one batch: upserts, and records old values and inserted keys under the import. */
export async function applyBatch(
  db: Executor,
  spec: DatasetSpec<never>,
  context: unknown,
  importId: number,
  rows: readonly ParsedRow[],
): Promise<{ newRows: number; changedRows: number }> {
  const p = plan(spec, context);
  const table = sql.identifier(spec.table);
  const set = sql.join(
    [
      ...p.values.map((c) => sql`${p.ident(c)} = ${p.incoming(c, 'c')}`),
      ...(spec.versionColumn
        ? [sql`${p.ident(spec.versionColumn)} = t.${p.ident(spec.versionColumn)} + 1`]
        : []),
    ],
    sql`, `,
  );
  const keyObject = sql`jsonb_build_object(${sql.join(
    spec.key.map((k) => sql`${k}::text, up.${p.ident(k)}`),
    sql`, `,
  )})`;
  // One lookup per input row by the key's index: `cmp` keeps only rows that are new or differ, with
  // the old row; a plain insert of the new ones and an update of the changed ones read it. (Not an
  // INSERT … ON CONFLICT: the lookup already says which rows are new, the import holds the
  // dataset's lock, and no other writer adds rows with a key an import could bring.)
  const first = p.ident(spec.key[0]!);
  const [counts] = await queryRows<{ new_rows: number; changed: number }>(
    db,
    sql`WITH src AS (${p.source(rows, 'apply')}),
      cmp AS MATERIALIZED (
        SELECT src.*, t.${first} IS NULL AS is_new,
          CASE WHEN t.${first} IS NULL THEN NULL ELSE to_jsonb(t) END AS old_row
        FROM src LEFT JOIN ${table} t ON ${p.keyMatch('t', 'src')}
        WHERE t.${first} IS NULL OR ${p.differs('src')}),
      ins AS (
        INSERT INTO ${table} (${p.list(p.columns)}) SELECT ${p.list(p.columns)} FROM cmp WHERE is_new
        RETURNING 1),
      upd AS (
        UPDATE ${table} AS t SET ${set} FROM cmp c WHERE NOT c.is_new AND ${p.keyMatch('t', 'c')}
        RETURNING 1),
      rec AS (
        INSERT INTO import_changes (import_id, inserted, old)
        SELECT ${importId}::bigint, NULL::jsonb, old_row FROM cmp WHERE NOT is_new
        UNION ALL
        SELECT ${importId}::bigint, jsonb_agg(${keyObject}), NULL::jsonb FROM cmp up WHERE is_new
          HAVING count(*) > 0)
      SELECT (count(*) FILTER (WHERE is_new))::int AS new_rows, (count(*) FILTER (WHERE NOT is_new))::int AS changed
      FROM cmp`,
  );
  const newRows = Number(counts?.new_rows ?? 0);
  const changed = Number(counts?.changed ?? 0);
  return { newRows, changedRows: changed };
}

export function changeExamples(
  spec: DatasetSpec<never>,
  row: ParsedRow,
  old: Record<string, unknown>,
  into: ChangeExample[],
): void {
  const inputOnly = new Set(spec.inputOnly ?? []);
  const key = new Set([...spec.key, ...(spec.fileKey ?? [])]);
  for (const c of spec.columns) {
    if (key.has(c.key) || c.ignored) continue;
    const next = row.values[c.key] ?? null;
    if (next === null && inputOnly.has(c.key)) continue; // kept as it is
    const before = old[c.key] ?? null;
    if (before === next) continue;
    if (into.length >= MAX_EXAMPLES) return;
    into.push({
      key: keyOf(spec, row.values) ?? '',
      sheet: row.sheet,
      row: row.row,
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
  if (spec.changes === 'supervision') {
    await bumpDataVersion(tx);
    return;
  }
  log('refreshing the region rollup…');
  await refreshRegionIndicators(tx);
  await bumpFiguresVersion(tx);
}
