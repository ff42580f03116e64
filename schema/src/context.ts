import type { Database } from '@rrm/db';
import type { Viewer } from './auth/policy.ts';
import { LoginThrottle } from './auth/throttle.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** Per-request state: the database, who is asking, and the per-request batch loaders (no N+1). */
export interface Context {
  database: Database;
  loaders: Loaders;
  viewer: Viewer;
  /** The client's address (for login throttling; behind a proxy, as TRUST_PROXY lets Express see it). */
  clientAddress: string;
  /** The server's login limits (one per server, shared by its requests). */
  loginThrottle: LoginThrottle;
}

/** Used where no server passes its own (scripts, exports' filter checks). */
const standalone = new LoginThrottle();

export function createContext(
  database: Database,
  viewer: Viewer = { kind: 'anonymous' },
  client: { address?: string; loginThrottle?: LoginThrottle } = {},
): Context {
  return {
    database,
    loaders: createLoaders(database),
    viewer,
    clientAddress: client.address ?? 'unknown',
    loginThrottle: client.loginThrottle ?? standalone,
  };
}
