import type { Database } from '@rrm/db';
import type { Viewer } from './auth/policy.ts';
import { LoginThrottle } from './auth/throttle.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** The HTTP exchange as login and logout need it (absent when the schema runs without HTTP). */
export interface HttpExchange {
  /** Adds a Set-Cookie header to the answer. */
  setCookie(cookie: string): void;
  /** Whether cookies must be Secure (HTTPS request, or PUBLIC_URL is https). */
  secure: boolean;
  /** The client's address (behind a proxy, as TRUST_PROXY lets Express see it). */
  clientAddress: string | null;
}

/** Per-request state: the database, who is asking, and the per-request batch loaders (no N+1). */
export interface Context {
  database: Database;
  /**
   * The primary: where a query's own writes go when `database` is a read replica (the audit entry
   * of a read of monitored households' rows).
   */
  primary: Database;
  loaders: Loaders;
  viewer: Viewer;
  /** NODE_ENV=production unless the app was created with another setting (demo logins refused). */
  production: boolean;
  http: HttpExchange | null;
  /** The server's login limits (one per server, shared by its requests). */
  loginThrottle: LoginThrottle;
}

/** Used where no server passes its own (scripts, exports' filter checks). */
const standalone = new LoginThrottle();

export function createContext(
  database: Database,
  viewer: Viewer = { kind: 'anonymous' },
  options: {
    production?: boolean;
    http?: HttpExchange | null;
    loginThrottle?: LoginThrottle;
    primary?: Database;
  } = {},
): Context {
  return {
    database,
    primary: options.primary ?? database,
    loaders: createLoaders(database),
    viewer,
    production: options.production ?? process.env.NODE_ENV === 'production',
    http: options.http ?? null,
    loginThrottle: options.loginThrottle ?? standalone,
  };
}
