// The demo's monitored households (1.16 M at national scale, with their measures and history), the
// second stage of the demo load. A first start commits the map's data first (load.ts, with
// `deferHouseholds`), answers "ready", and loads these in the background: on PGlite they were a
// minute of a three-minute first start. Until they land, the dataset row's `households_pending`
// says so (migration 0025), and every monitoring read, write and import answers "still loading"
// (db/src/monitoring/pending.ts) instead of counting from empty tables.
//
// Not one transaction: on PGlite a transaction holds the only connection, and a minute-long one
// would stall every request. Each piece of COPY text is its own short transaction, with requests let
// in between (`between`). So the load must survive a stop half-way: what it needs to start again
// is in `households_pending` (the seed, the provinces, the keys and indexes it set aside), and a
// new attempt empties the tables and starts over. A reload of the data meanwhile (`--replace`)
// gives the pending load a new id, and a load that finds another id stops.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  bulkInsertRows,
  type Executor,
  queryRows,
  restoreKeys,
  type SetAsideKey,
  setKeysAside,
} from '../src/bulk.ts';
import type { Database } from '../src/client.ts';
import { copyClient } from '../src/copy.ts';
import { LAST_YEAR } from '../src/facts.ts';
import { refreshMonitoringFigures } from '../src/monitoring/figures.ts';
import {
  DEMO_LINE_NOTE,
  demoMonitoringLine,
  GENERATED_BY,
  MONITORING_YEARS,
  type MonitoredCounts,
} from './households.ts';
import { HOUSEHOLD_TABLE_COLUMNS } from './households-copy.ts';
import { householdsFromChild } from './households-from-child.ts';

/** What `dataset.households_pending` holds while the households are pending. */
export interface HouseholdsPending {
  /** This load's id: a reload of the data gives a new one, and the old load stops. */
  load: string;
  seed: number;
  /** The provinces that get the demo's monitoring lines (those of the loaded counties). */
  provinces: string[];
  /** Keys and indexes of the household tables set aside by an attempt (to build again, even after a stop). */
  keys: SetAsideKey[];
}

const HOUSEHOLD_TABLES = ['households', 'household_measures', 'household_history'];

/** Every table the second stage fills (and empties when it starts again). */
const MONITORING_TABLES = [
  'region_monitoring_figures',
  'region_monitoring_today',
  'household_history',
  'household_measures',
  'households',
  'monitoring_lines',
];

/**
 * The value stage one stores in `dataset.households_pending` (as a SQL expression for its upsert):
 * a new load id, and the keys a stopped earlier attempt had set aside, which are still to be built.
 */
export function pendingHouseholdsSql(seed: number, provinces: readonly string[]) {
  const pending = { load: randomUUID(), seed, provinces: [...provinces] };
  return sql`(${JSON.stringify(pending)}::jsonb || jsonb_build_object('keys',
    coalesce((SELECT d.households_pending -> 'keys' FROM dataset d WHERE d.id = 'current'), '[]'::jsonb)))`;
}

export interface PendingHouseholdsOptions {
  log?: (line: string) => void;
  /** Runs before each piece is copied and each index is built: the server lets requests in there. */
  between?: () => Promise<void>;
}

/** Thrown when a reload of the data replaced the load this one was finishing. */
export class HouseholdsLoadSuperseded extends Error {
  constructor() {
    super('the demo data was reloaded meanwhile; the households are loaded by the new load');
  }
}

/**
 * Loads the pending monitored households, if any: returns how many, or null when none were pending.
 * Safe to run again after a stop or a failure (it starts over).
 */
export async function loadPendingHouseholds(
  database: Database,
  options: PendingHouseholdsOptions = {},
): Promise<number | null> {
  const log = options.log ?? console.log;
  const between = options.between ?? (async () => {});
  const started = Date.now();

  // Start (again): empty the tables, set their keys aside (recorded, so that a stop cannot lose
  // them), and add the demo's monitoring lines.
  const pending = await database.db.transaction(async (tx) => {
    const current = await lockPending(tx);
    if (!current) return null;
    await tx.execute(
      sql`TRUNCATE ${sql.join(
        MONITORING_TABLES.map((t) => sql.identifier(t)),
        sql`, `,
      )}`,
    );
    const dropped = await setKeysAside(tx, HOUSEHOLD_TABLES);
    const keys = [...current.keys, ...dropped.filter((k) => !current.keys.some((r) => r.name === k.name))];
    await tx.execute(
      sql`UPDATE dataset SET households_pending = households_pending || jsonb_build_object('keys', ${JSON.stringify(keys)}::jsonb) WHERE id = 'current'`,
    );
    await insertDemoLines(tx, current.seed, current.provinces);
    return { ...current, keys };
  });
  if (!pending) return null;
  log('loading the monitored households (the map is served meanwhile)…');

  const counts = await queryRows<MonitoredCounts>(
    database.db,
    sql`SELECT village_code AS "villageCode", monitored_unstable AS unstable, monitored_marginal AS marginal,
          monitored_sudden_hardship AS "suddenHardship", monitored_risk_removed AS "riskRemoved"
        FROM village_indicators WHERE year = ${LAST_YEAR} ORDER BY village_code`,
  );
  // Made in a child process, copied a piece at a time, each in its own transaction that first
  // checks this load is still the pending one (and holds the dataset row against a reload meanwhile).
  const pieces = householdsFromChild(pending.seed, counts);
  let households = 0;
  try {
    for (;;) {
      const next = await pieces.next();
      if (next.done) {
        households = next.value;
        break;
      }
      const { table, piece } = next.value;
      await between();
      await database.db.transaction(async (tx) => {
        await holdLoad(tx, pending.load);
        await copyClient(tx, database.backend).into(table, HOUSEHOLD_TABLE_COLUMNS[table], [
          Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength),
        ]);
      });
    }
  } finally {
    // Stops the child if a copy failed.
    await pieces.return(0);
  }
  log(
    `  copied ${households.toLocaleString()} households in ${((Date.now() - started) / 1000).toFixed(1)} s; building their keys and counts`,
  );
  await database.db.execute(
    sql`SELECT setval(pg_get_serial_sequence('households', 'id'), ${households + 1}, false)`,
  );
  await restoreKeys(database.db, pending.keys, between);
  await between();
  // The counts per region, and the end of "still loading": one transaction, with new versions so
  // that cached answers and tiles made meanwhile are not served again.
  await database.db.transaction(async (tx) => {
    const current = await lockPending(tx);
    if (current?.load !== pending.load) throw new HouseholdsLoadSuperseded();
    await refreshMonitoringFigures(tx);
    await tx.execute(sql`UPDATE dataset SET households_pending = NULL, data_version = data_version + 1,
      figures_version = figures_version + 1 WHERE id = 'current'`);
  });
  log(
    `  loaded ${households.toLocaleString()} monitored households in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return households;
}

/** The pending load, with the dataset row locked for the transaction (null when nothing is pending). */
async function lockPending(tx: Executor): Promise<HouseholdsPending | null> {
  const [row] = await queryRows<{ pending: HouseholdsPending | string | null }>(
    tx,
    sql`SELECT households_pending AS pending FROM dataset WHERE id = 'current' FOR UPDATE`,
  );
  const pending = row?.pending;
  if (!pending) return null;
  return typeof pending === 'string' ? (JSON.parse(pending) as HouseholdsPending) : pending;
}

/**
 * Holds the dataset row (shared) for the transaction if `load` is still the pending load: a reload
 * (which locks the row first) waits for the piece, and the piece after it finds the new load's id.
 */
async function holdLoad(tx: Executor, load: string): Promise<void> {
  const rows = await queryRows(
    tx,
    sql`SELECT 1 FROM dataset WHERE id = 'current' AND households_pending ->> 'load' = ${load} FOR SHARE`,
  );
  if (rows.length === 0) throw new HouseholdsLoadSuperseded();
}

/** The demo's monitoring lines (generated, labelled so) of the loaded provinces. */
async function insertDemoLines(tx: Executor, seed: number, provinces: readonly string[]): Promise<void> {
  const lines = provinces.flatMap((provinceCode) =>
    MONITORING_YEARS.map((year) => ({
      provinceCode,
      year,
      line: demoMonitoringLine(seed, provinceCode, year),
    })),
  );
  await bulkInsertRows(tx, 'monitoring_lines', lines, [
    ['province_code', 'text', (l) => l.provinceCode],
    ['year', 'int4', (l) => l.year],
    ['line_yuan', 'int4', (l) => l.line],
    ['source', 'text', () => 'generated'],
    ['source_note', 'text', () => DEMO_LINE_NOTE],
    ['updated_by', 'text', () => GENERATED_BY],
  ]);
}
