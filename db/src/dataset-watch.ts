// The dataset's versions kept in memory, so that a cached answer or a tile need not read them from
// the database on every request (issue #14: that read cost as much as a whole request of the peer).
//
// The row notifies `rrm_dataset` at every commit that changes it (migration 0022). The watch trusts
// what it read only while all of these hold, and otherwise says "not known" (null), which sends the
// caller back to reading the row as before:
// - the LISTEN connection is up (a lost connection may have missed notifications);
// - no notification has arrived since the read (the row is read again at once);
// - no transaction of this process is under way (every write is one, Database.onTransaction): a
//   notification arrives shortly after its commit, and whoever wrote and then reads must see the
//   write, so from the start of a transaction until the row is read again after it, the versions
//   are read per request.
// What is left is the moment between another process's commit and its notification, a few
// milliseconds, in which an anonymous reader can get the answer of just before that commit.
import type { Database } from './client.ts';
import { type DatasetVersions, readDatasetVersions } from './queries/dataset.ts';

/** The channel migration 0022's trigger notifies. */
export const DATASET_CHANNEL = 'rrm_dataset';

export interface DatasetWatch {
  /** The versions as of the last notification, or null when they are not known for sure. */
  current(): DatasetVersions | null;
  stop(): Promise<void>;
}

export function watchDataset(database: Database): DatasetWatch {
  let known: DatasetVersions | null = null;
  let listening = false;
  let transactions = 0;
  // Moves with every event; a read that finishes after a newer event is thrown away.
  let generation = 0;

  const readAgain = () => {
    const mine = ++generation;
    known = null;
    if (!listening || transactions > 0) return;
    readDatasetVersions(database.db).then(
      (versions) => {
        if (mine === generation && listening && transactions === 0) known = versions;
      },
      () => {},
    );
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
    transactions++;
    readAgain();
    return () => {
      transactions--;
      readAgain();
    };
  });

  return {
    current: () => known,
    stop: async () => {
      listening = false;
      readAgain();
      unwatchTransactions();
      await unsubscribe();
    },
  };
}
