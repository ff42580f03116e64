// The dataset's versions kept in memory, so that a cached answer or a tile need not read them from
// the database on every request (issue #14: that read cost as much as a whole request of the peer).
//
// The row notifies `rrm_dataset` at every commit that changes it (migration 0022). The watch trusts
// what it read only while all of these hold, and otherwise says "not known" (null), which sends the
// caller back to reading the row as before:
// - the LISTEN connection is up (a lost connection may have missed notifications);
// - no notification has arrived since the read (the row is read again at once);
// - no writing transaction of this process is open (Database.onTransaction): its notification
//   arrives shortly after its commit, and whoever wrote and then reads must see the write, so from
//   the start of such a transaction until the row is read again after it, the versions are read per
//   request.
// And the row is read again every second whatever happens (`CONFIRM_EVERY_MS`): a LISTEN that
// "succeeds" but never delivers (a pooler in transaction mode) or a connection that died without a
// word (found by TCP keepalive only after minutes) leaves the copy at most a second behind.
// What is left: between another process's commit and its notification (milliseconds, at most that
// second), an anonymous reader can get the answer of just before that commit.
import type { Database } from './client.ts';
import { type DatasetVersions, readDatasetVersions } from './queries/dataset.ts';

/** The channel migration 0022's trigger notifies. */
export const DATASET_CHANNEL = 'rrm_dataset';

/** How often the row is read again even without a notification. */
export const CONFIRM_EVERY_MS = 1000;

export interface DatasetWatch {
  /** The versions as of the last notification, or null when they are not known for sure. */
  current(): DatasetVersions | null;
  stop(): Promise<void>;
}

export interface WatchOptions {
  confirmEveryMs?: number;
  /** How the row is read (the tests give their own). */
  read?: () => Promise<DatasetVersions>;
}

export function watchDataset(
  database: Pick<Database, 'db' | 'listen' | 'onTransaction'>,
  options: WatchOptions = {},
): DatasetWatch {
  const readRow = options.read ?? (() => readDatasetVersions(database.db));
  let known: DatasetVersions | null = null;
  let listening = false;
  let writing = 0;
  // Moves with every event; a read that finishes after a newer event is thrown away.
  let generation = 0;

  const trusted = () => listening && writing === 0;
  /** Reads the row; what it read counts only if nothing happened in the meantime. */
  const read = () => {
    const mine = generation;
    readRow().then(
      (versions) => {
        if (mine === generation && trusted()) known = versions;
      },
      () => {
        if (mine === generation) known = null;
      },
    );
  };
  /** Something happened: forget the copy, and read the row again if it can be trusted. */
  const readAgain = () => {
    generation++;
    known = null;
    if (trusted()) read();
  };

  const unsubscribe = database.listen(DATASET_CHANNEL, {
    notify: readAgain,
    up: () => {
      listening = true;
      readAgain();
    },
    down: () => {
      listening = false;
      readAgain();
    },
  });

  const unwatchTransactions = database.onTransaction(() => {
    writing++;
    readAgain();
    return () => {
      writing--;
      readAgain();
    };
  });

  const confirm = setInterval(() => {
    if (trusted()) read();
  }, options.confirmEveryMs ?? CONFIRM_EVERY_MS);
  confirm.unref();

  return {
    current: () => known,
    stop: async () => {
      clearInterval(confirm);
      listening = false;
      readAgain();
      unwatchTransactions();
      await unsubscribe();
    },
  };
}
