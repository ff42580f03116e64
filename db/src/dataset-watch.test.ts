// The order of events the watch must get right (dataset-watch.ts), with a fake database: when the
// copy of the versions may be trusted, and that a read overtaken by an event is thrown away.
// test/response-cache.test.ts runs the real thing on both backends.
import { afterEach, describe, expect, it } from 'vitest';
import type { ListenHandlers } from './client.ts';
import { watchDataset } from './dataset-watch.ts';
import type { DatasetVersions } from './queries/dataset.ts';

/** A database whose notifications, transactions and row reads the test drives by hand. */
function fakeDatabase() {
  let handlers: ListenHandlers | undefined;
  const transactions = new Set<() => () => void>();
  const reads: Array<(versions: DatasetVersions) => void> = [];
  return {
    database: {
      db: {} as never,
      listen: (_channel: string, given: ListenHandlers) => {
        handlers = given;
        return async () => {};
      },
      onTransaction: (onStart: () => () => void) => {
        transactions.add(onStart);
        return () => transactions.delete(onStart);
      },
    },
    read: () => new Promise<DatasetVersions>((resolve) => reads.push(resolve)),
    handlers: () => handlers!,
    /** Answers the oldest pending read of the row. */
    answerRead: async (dataVersion: number) => {
      reads.shift()!({ dataVersion, figuresVersion: 1 });
      await Promise.resolve();
    },
    pendingReads: () => reads.length,
    startTransaction: () => [...transactions].map((onStart) => onStart()),
  };
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** A watch that listens and has read version `version` of the row. */
async function trusting(fake: ReturnType<typeof fakeDatabase>, version: number) {
  const watched = watch(fake);
  fake.handlers().up();
  await fake.answerRead(version);
  expect(watched.current()).toEqual({ dataVersion: version, figuresVersion: 1 });
  return watched;
}

function watch(fake: ReturnType<typeof fakeDatabase>) {
  const watched = watchDataset(fake.database, { read: fake.read, confirmEveryMs: 60_000 });
  stops.push(watched.stop);
  return watched;
}

describe('the dataset watch', () => {
  it('knows nothing until it listens and has read the row', async () => {
    const fake = fakeDatabase();
    const watched = watch(fake);
    expect(watched.current()).toBeNull();
    expect(fake.pendingReads()).toBe(0);
    fake.handlers().up();
    expect(watched.current()).toBeNull();
    await fake.answerRead(7);
    expect(watched.current()).toEqual({ dataVersion: 7, figuresVersion: 1 });
  });

  it('forgets at once on a notification, and throws away a read the notification overtook', async () => {
    const fake = fakeDatabase();
    const watched = await trusting(fake, 7);
    fake.handlers().notify();
    expect(watched.current()).toBeNull();
    // Two notifications before the first read returns: only the last read counts.
    fake.handlers().notify();
    await fake.answerRead(8);
    expect(watched.current()).toBeNull();
    await fake.answerRead(9);
    expect(watched.current()).toEqual({ dataVersion: 9, figuresVersion: 1 });
  });

  it('trusts nothing while a transaction of this process is open, and reads the row after it', async () => {
    const fake = fakeDatabase();
    const watched = await trusting(fake, 7);
    const [end] = fake.startTransaction();
    expect(watched.current()).toBeNull();
    // No read of the row while the transaction is open: what it read could be overtaken.
    expect(fake.pendingReads()).toBe(0);
    end!();
    expect(watched.current()).toBeNull();
    await fake.answerRead(8);
    expect(watched.current()).toEqual({ dataVersion: 8, figuresVersion: 1 });
  });

  it('trusts nothing while its connection is down, until it listens again', async () => {
    const fake = fakeDatabase();
    const watched = await trusting(fake, 7);
    fake.handlers().down();
    expect(watched.current()).toBeNull();
    expect(fake.pendingReads()).toBe(0);
    fake.handlers().up();
    await fake.answerRead(9);
    expect(watched.current()).toEqual({ dataVersion: 9, figuresVersion: 1 });
  });

  it('reads the row again on its own, so a notification that never comes leaves it a moment behind', async () => {
    const fake = fakeDatabase();
    const watched = watchDataset(fake.database, { read: fake.read, confirmEveryMs: 20 });
    stops.push(watched.stop);
    fake.handlers().up();
    await fake.answerRead(7);
    // Another process wrote, and its notification was lost: the next confirmation reads it.
    await expect.poll(() => fake.pendingReads(), { timeout: 2000 }).toBeGreaterThan(0);
    await fake.answerRead(8);
    expect(watched.current()).toEqual({ dataVersion: 8, figuresVersion: 1 });
  });
});
