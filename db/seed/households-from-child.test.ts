// The demo's households are made in a child process: its pieces must be the bytes the same code
// makes in this process, in the same order, and a child that fails must fail the load (never a
// load with households missing).
import { execFileSync } from 'node:child_process';
import { constants, getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { MonitoredCounts } from './households.ts';
import { HOUSEHOLDS_CHILD_ARG, type HouseholdPiece, householdCopyPieces } from './households-copy.ts';
import { householdsFromChild } from './households-from-child.ts';

const counts: MonitoredCounts[] = Array.from({ length: 1200 }, (_, i) => ({
  villageCode: `5224${String(26_000_000 + i).padStart(8, '0')}`,
  unstable: 20 + (i % 7),
  marginal: 10 + (i % 5),
  suddenHardship: i % 4,
  riskRemoved: 15,
}));

/** Each table's bytes, concatenated in the order its pieces came. */
function byTable(pieces: readonly HouseholdPiece[]): Record<string, string> {
  const tables: Record<string, Buffer[]> = {};
  for (const { table, piece } of pieces) {
    tables[table] ??= [];
    tables[table].push(Buffer.from(piece));
  }
  return Object.fromEntries(
    Object.entries(tables).map(([t, parts]) => [t, Buffer.concat(parts).toString('utf8')]),
  );
}

describe('householdsFromChild', () => {
  it('sends the pieces this process would make, and the count', async () => {
    const here: HouseholdPiece[] = [];
    const generator = householdCopyPieces(20261202, counts);
    let next = generator.next();
    for (; !next.done; next = generator.next()) here.push(next.value);
    const there: HouseholdPiece[] = [];
    const child = householdsFromChild(20261202, counts);
    let received = await child.next();
    for (; !received.done; received = await child.next()) there.push(received.value);
    expect(received.value).toBe(next.value);
    expect(next.value).toBeGreaterThan(10_000);
    const tables = byTable(there);
    expect(Object.keys(tables).sort()).toEqual(['household_history', 'household_measures', 'households']);
    expect(tables).toEqual(byTable(here));
    // More than one piece of households: the order across pieces is checked too.
    expect(there.filter((p) => p.table === 'households').length).toBeGreaterThan(1);
    expect(tables.households!.split('\n').length - 1).toBe(next.value);
  });

  // `ps --ppid` is procps's (Linux), where the product's CI runs.
  it.skipIf(process.platform !== 'linux')(
    "runs the child at the lowest CPU priority for the server's background load, at the default otherwise",
    async () => {
      /** The niceness of this process's households child, read while it runs. */
      const childNiceness = async (lowPriority: boolean) => {
        const child = householdsFromChild(20261202, counts, { lowPriority });
        await child.next();
        const ours = execFileSync('ps', ['-o', 'ni=,args=', '--ppid', String(process.pid)], {
          encoding: 'utf8',
        })
          .split('\n')
          .filter((line) => line.includes(HOUSEHOLDS_CHILD_ARG));
        await child.return(0);
        expect(ours).toHaveLength(1);
        return Number(ours[0]!.trim().split(/\s+/)[0]);
      };
      expect(await childNiceness(true)).toBe(constants.priority.PRIORITY_LOW);
      // Otherwise it inherits this process's own (0, unless the suite itself runs under `nice`).
      expect(await childNiceness(false)).toBe(getPriority());
    },
  );

  it('fails when the child fails, saying so', async () => {
    // A negative count is no list of households: the child throws and exits.
    const broken = [{ ...counts[0]!, unstable: -1 }];
    const child = householdsFromChild(1, broken);
    await expect(
      (async () => {
        for await (const _ of child);
      })(),
    ).rejects.toThrow(/child process ended \(exit code 1\) before it had made them all/);
  });
});
