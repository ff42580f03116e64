// The demo's monitored households as COPY text, village after village: the pieces the demo load
// copies into `households`, `household_measures` and `household_history`. Made in a child process
// (households-child.ts, started by households-from-child.ts) while the parent copies the pieces
// already made: on PGlite, which runs in the parent's one thread, generating took 17 s of the
// national load's 65–70 s for households. The three tables' pieces come interleaved, so a
// measure may be copied before its household: the load sets the tables' foreign keys aside
// meanwhile (pending-households.ts) and checks them once, after.
import { CopyBuffer, copyFormatter } from '../src/copy.ts';
import { LAST_YEAR } from '../src/facts.ts';
import {
  demoMonitoringLine,
  GENERATED_BY,
  type HistoryRecord,
  type HouseholdRecord,
  type MeasureRecord,
  type MonitoredCounts,
  villageHouseholds,
} from './households.ts';

type Column<T> = readonly [name: string, type: 'text' | 'int4' | 'int8' | 'date', get: (row: T) => unknown];

const HOUSEHOLD_COLUMNS: ReadonlyArray<Column<HouseholdRecord>> = [
  ['id', 'int4', (h) => h.id],
  ['number', 'text', (h) => h.number],
  ['village_code', 'text', (h) => h.villageCode],
  ['county_code', 'text', (h) => h.villageCode.slice(0, 6)],
  ['size', 'int4', (h) => h.size],
  ['labour', 'int4', (h) => h.labour],
  ['type', 'text', (h) => h.type],
  // An array literal: the causes are plain names (RiskCause, tables/monitoring.ts), nothing to quote.
  ['causes', 'text', (h) => `{${h.causes.join(',')}}`],
  ['identified_on', 'date', (h) => h.identifiedOn],
  ['income_year', 'int4', (h) => h.incomeYear],
  ['income_per_capita', 'int4', (h) => h.incomePerCapita],
  ['status', 'text', (h) => h.status],
  ['removed_on', 'date', (h) => h.removedOn],
  ['removal_verification', 'text', (h) => h.removalVerification],
  ['first_measure_on', 'date', (h) => h.firstMeasureOn],
  ['measures_until', 'date', (h) => h.measuresUntil],
  ['loan_balance_yuan', 'int8', (h) => h.loanBalanceYuan],
  ['loan_overdue_yuan', 'int8', (h) => h.loanOverdueYuan],
];

const MEASURE_COLUMNS: ReadonlyArray<Column<MeasureRecord>> = [
  ['household_id', 'int4', (m) => m.householdId],
  ['kind', 'text', (m) => m.kind],
  ['description', 'text', (m) => m.description],
  ['started_on', 'date', (m) => m.startedOn],
  ['ended_on', 'date', (m) => m.endedOn],
  ['amount_yuan', 'int4', (m) => m.amountYuan],
  ['loan_term_months', 'int4', (m) => m.loanTermMonths],
  ['loan_state', 'text', (m) => m.loanState],
  ['responsible_unit', 'text', (m) => m.responsibleUnit],
];

const HISTORY_COLUMNS: ReadonlyArray<Column<HistoryRecord>> = [
  ['household_id', 'int4', (h) => h.householdId],
  ['on_date', 'date', (h) => h.onDate],
  ['recorded_by', 'text', () => GENERATED_BY],
  ['action', 'text', (h) => h.action],
  ['from_status', 'text', (h) => h.fromStatus],
  ['to_status', 'text', (h) => h.toStatus],
  ['note', 'text', (h) => h.note],
];

export type HouseholdTable = 'households' | 'household_measures' | 'household_history';

/** Each table's columns, in the order of its COPY lines. */
export const HOUSEHOLD_TABLE_COLUMNS: Record<HouseholdTable, readonly string[]> = {
  households: HOUSEHOLD_COLUMNS.map(([name]) => name),
  household_measures: MEASURE_COLUMNS.map(([name]) => name),
  household_history: HISTORY_COLUMNS.map(([name]) => name),
};

export interface HouseholdPiece {
  table: HouseholdTable;
  /** Whole lines of COPY text, a few megabytes. */
  piece: Uint8Array;
}

// What the parent and the child say to each other, in order: the parent sends the request; the
// child sends pieces, each acknowledged by the parent once it has copied it, then the count.
export interface HouseholdsRequest {
  seed: number;
  counts: readonly MonitoredCounts[];
}
export const PIECE_COPIED = 'copied';
export type HouseholdsMessage = HouseholdPiece | { households: number };
/** The child's argument: it answers only a parent that started it as the households' child. */
export const HOUSEHOLDS_CHILD_ARG = '--demo-households-child';

/** Lines of one table's rows, formatted by its columns. */
function tableLines<T>(table: HouseholdTable, columns: ReadonlyArray<Column<T>>) {
  const format = columns.map(([, type]) => copyFormatter(type));
  const buffer = new CopyBuffer();
  const cells: string[] = new Array(columns.length);
  return {
    /** The pieces these rows filled. */
    *add(rows: readonly T[]): Generator<HouseholdPiece> {
      for (const row of rows) {
        for (let j = 0; j < columns.length; j++) cells[j] = format[j]!(columns[j]![2](row));
        const full = buffer.add(cells);
        if (full) yield { table, piece: full };
      }
    },
    *rest(): Generator<HouseholdPiece> {
      const rest = buffer.rest();
      if (rest) yield { table, piece: rest };
    },
  };
}

/**
 * The households of every village in `counts` (ids from 1, in that order), as COPY pieces of the
 * three tables; returns how many households.
 */
export function* householdCopyPieces(
  seed: number,
  counts: readonly MonitoredCounts[],
): Generator<HouseholdPiece, number> {
  const households = tableLines('households', HOUSEHOLD_COLUMNS);
  const measures = tableLines('household_measures', MEASURE_COLUMNS);
  const history = tableLines('household_history', HISTORY_COLUMNS);
  let nextId = 1;
  for (const village of counts) {
    const line = demoMonitoringLine(seed, village.villageCode.slice(0, 2), LAST_YEAR);
    const generated = villageHouseholds(seed, village, line, nextId);
    nextId += generated.households.length;
    yield* households.add(generated.households);
    yield* measures.add(generated.measures);
    yield* history.add(generated.history);
  }
  yield* households.rest();
  yield* measures.rest();
  yield* history.rest();
  return nextId - 1;
}
