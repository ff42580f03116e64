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
// new attempt empties the tables and starts over. Each attempt has an id; one that finds another's
// (a restart's, another server's, or none after a reload of the data) stops at its next step.
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
  seed: number;
  /** The provinces that get the demo's monitoring lines (those of the loaded counties). */
  provinces: string[];
  /** Keys and indexes of the household tables set aside by an attempt (to build again, even after a stop). */
  keys: SetAsideKey[];
  /**
   * The attempt under way: each attempt (a restart's, another server's) takes a new one, and an
   * attempt that finds another's id (or a reload's new load) stops at its next step.
   */
  attempt?: string;
}

const HOUSEHOLD_TABLES = ['households', 'household_measures', 'household_history'];

/** Every table the second stage fills (and empties when it starts again); a reload empties them too. */
export const MONITORING_TABLES = [
  'region_monitoring_figures',
  'region_monitoring_today',
  'household_history',
  'household_measures',
  'households',
  'monitoring_lines',
];

/**
 * The value stage one stores in `dataset.households_pending` (as a SQL expression for its upsert):
 * the seed and provinces, and the keys a stopped earlier attempt had set aside, which are still to
 * be built. No attempt id: an attempt still running on the data this replaces stops at its next step.
 */
export function pendingHouseholdsSql(seed: number, provinces: readonly string[]) {
  const pending = { seed, provinces: [...provinces] };
  return sql`(${JSON.stringify(pending)}::jsonb || jsonb_build_object('keys',
    coalesce((SELECT d.households_pending -> 'keys' FROM dataset d WHERE d.id = 'current'), '[]'::jsonb)))`;
}

export interface PendingHouseholdsOptions {
  log?: (line: string) => void;
  /** Runs before each piece is copied and each index is built: the server lets requests in there. */
  between?: () => Promise<void>;
  /**
   * The households made at the lowest CPU priority: the server's second stage, where the requests
   * and a visitor's browser on the same machine go first (off for a load someone waits for).
   */
  lowPriority?: boolean;
}

/** Thrown when another attempt (a reload of the data, another server's start) took over this load. */
export class HouseholdsLoadSuperseded extends Error {
  constructor() {
    super('another load of the monitored households took over (a reload of the data, or another start)');
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

  // Start (again): empty the tables (only households' measures and history refer to households:
  // a table that comes to refer to them belongs in the list), set their keys aside (recorded, so
  // that a stop cannot lose them), add the demo's monitoring lines, and take a new attempt id.
  const pending = await database.db.transaction(async (tx) => {
    const current = await lockPending(tx);
    if (!current) return null;
    await tx.execute(
      sql`TRUNCATE ${sql.join(
        MONITORING_TABLES.map((t) => sql.identifier(t)),
        sql`, `,
      )} RESTART IDENTITY`,
    );
    const dropped = await setKeysAside(tx, HOUSEHOLD_TABLES);
    const sameKey = (a: SetAsideKey, b: SetAsideKey) =>
      a.kind === b.kind && a.table === b.table && a.name === b.name;
    const keys = [...current.keys, ...dropped.filter((k) => !current.keys.some((r) => sameKey(r, k)))];
    const attempt = randomUUID();
    await tx.execute(
      sql`UPDATE dataset SET households_pending = households_pending || jsonb_build_object('keys', ${JSON.stringify(keys)}::jsonb, 'attempt', ${attempt}::text) WHERE id = 'current'`,
    );
    await insertDemoLines(tx, current.seed, current.provinces);
    return { ...current, keys, attempt };
  });
  if (!pending) return null;
  log('loading the monitored households…');
  /** One step of the load, in its own transaction, if this attempt is still the one under way. */
  const step = (work: (tx: Executor) => Promise<unknown>) =>
    database.db.transaction(async (tx) => {
      await holdAttempt(tx, pending.attempt);
      await work(tx);
    });

  // By village code: the order the plan made the villages in (county by county, each county's
  // villages as the code-sorted list gives them), so that household ids are those of a load in one go.
  const counts = await queryRows<MonitoredCounts>(
    database.db,
    sql`SELECT village_code AS "villageCode", monitored_unstable AS unstable, monitored_marginal AS marginal,
          monitored_sudden_hardship AS "suddenHardship", monitored_risk_removed AS "riskRemoved"
        FROM village_indicators WHERE year = ${LAST_YEAR} ORDER BY village_code`,
  );
  // Made in a child process, copied a piece at a time, each a step of its own.
  const pieces = householdsFromChild(pending.seed, counts, { lowPriority: options.lowPriority ?? false });
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
      await step((tx) =>
        copyClient(tx, database.backend).into(table, HOUSEHOLD_TABLE_COLUMNS[table], [
          Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength),
        ]),
      );
    }
  } finally {
    // Stops the child if a copy failed.
    await pieces.return(0);
  }
  log(
    `  copied ${households.toLocaleString()} households in ${((Date.now() - started) / 1000).toFixed(1)} s; building their keys and counts`,
  );
  await step((tx) =>
    tx.execute(sql`SELECT setval(pg_get_serial_sequence('households', 'id'), ${households + 1}, false)`),
  );
  await restoreKeys(pending.keys, async (statement) => {
    await between();
    await step((tx) => tx.execute(statement));
  });
  await between();
  // The counts per region, and the end of "still loading": one transaction, with a new data
  // version so that no answer cached meanwhile is served again (the tiles show no household).
  await database.db.transaction(async (tx) => {
    const current = await lockPending(tx);
    if (current?.attempt !== pending.attempt) throw new HouseholdsLoadSuperseded();
    await refreshMonitoringFigures(tx);
    await tx.execute(
      sql`UPDATE dataset SET households_pending = NULL, data_version = data_version + 1 WHERE id = 'current'`,
    );
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
 * Holds the dataset row (shared) for the transaction if `attempt` is still the attempt under way: a
 * reload or a new attempt (which lock the row first) waits for the step, and the step after it
 * finds their id.
 */
async function holdAttempt(tx: Executor, attempt: string): Promise<void> {
  const rows = await queryRows(
    tx,
    sql`SELECT 1 FROM dataset WHERE id = 'current' AND households_pending ->> 'attempt' = ${attempt} FOR SHARE`,
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
