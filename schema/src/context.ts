import type { Database } from '@rrm/db';
import type { Viewer } from './auth/policy.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** Per-request state: the database, who is asking, and the per-request batch loaders (no N+1). */
export interface Context {
  database: Database;
  loaders: Loaders;
  viewer: Viewer;
}

export function createContext(database: Database, viewer: Viewer = { kind: 'anonymous' }): Context {
  return { database, loaders: createLoaders(database), viewer };
}
