// The dataset's versions, which key the cached answers (response-cache.ts) and the cut tiles
// (tiles/route.ts): from memory while the server listens to the database's notifications
// (db/src/dataset-watch.ts), read from the database otherwise. Without a read replica only: a
// replica cannot LISTEN, and what it has replayed is what its answers show, so with one the versions
// are read from it per request, as before.
import {
  type Database,
  type DatasetVersions,
  type DatasetWatch,
  readDatasetVersions,
  watchDataset,
} from '@rrm/db';

export interface DatasetVersionSource {
  /** The versions of what `source` (the database or its replica) holds now. */
  of(source: Database): Promise<DatasetVersions>;
  stop(): Promise<void>;
}

export function datasetVersions(database: Database): DatasetVersionSource {
  const watch: DatasetWatch | null = database.replica ? null : watchDataset(database);
  return {
    of: async (source) => (source === database ? watch?.current() : null) ?? readDatasetVersions(source.db),
    stop: async () => watch?.stop(),
  };
}
