import type { Database } from '@rrm/db';
import { createLoaders, type Loaders } from './loaders.ts';

/** Per-request state: the database and the per-request batch loaders (no N+1 across a response). */
export interface Context {
  database: Database;
  loaders: Loaders;
}

export function createContext(database: Database): Context {
  return { database, loaders: createLoaders(database) };
}
