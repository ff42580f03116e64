// Per-request batch loaders: every lookup by key inside one GraphQL response becomes one query.
import { type CountyRow, type Database, findBoundaries, findCountiesByCode, findDataset } from '@rrm/db';
import DataLoader from 'dataloader';

export interface Loaders {
  county: DataLoader<string, CountyRow | null>;
  /** Full-resolution boundaries in WGS84 (simplified or GCJ-02 requests go straight to the database). */
  boundary: DataLoader<string, object | null>;
  dataset: () => ReturnType<typeof findDataset>;
}

export function createLoaders(database: Database): Loaders {
  const db = database.db;
  let dataset: ReturnType<typeof findDataset> | undefined;
  return {
    county: new DataLoader(async (codes) => {
      const rows = new Map((await findCountiesByCode(db, codes)).map((r) => [r.code, r]));
      return codes.map((c) => rows.get(c) ?? null);
    }),
    boundary: new DataLoader(async (codes) => {
      const geometries = await findBoundaries(db, codes);
      return codes.map((c) => geometries.get(c) ?? null);
    }),
    dataset: () => {
      dataset ??= findDataset(db);
      return dataset;
    },
  };
}
