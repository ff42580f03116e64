// The one place that picks the database backend. DATABASE_URL unset → embedded PGlite with PostGIS
// in a local folder; DATABASE_URL=postgres://… → PostgreSQL through postgres.js. Everything above
// this file runs the same drizzle queries and SQL on both. What PGlite lacks is detected once here
// and exposed as a capability; nothing else branches on the backend.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { type Logger, type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { queryRows } from './bulk.ts';
import { fillMonitoringFiguresIfMissing } from './monitoring/figures.ts';
import * as tables from './tables/index.ts';

export type Schema = typeof tables;
export type AppDb = PgDatabase<PgQueryResultHKT, Schema>;
export type Backend = 'pglite' | 'postgres';

export interface Capabilities {
  /** ST_AsMVT is available (PGlite's PostGIS is built without protobuf-c). */
  asMvt: boolean;
}

export interface Database {
  db: AppDb;
  backend: Backend;
  capabilities: Capabilities;
  postgisVersion: string;
  /** Called with every SQL statement drizzle sends (tests count statements with it). */
  onQuery?: (statement: string) => void;
  /** Runs SQL and returns plain row objects, whichever driver is underneath. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /**
   * A read replica (DATABASE_READ_URL), when one is configured: reads may go there, writes never
   * do. See server/src/read-routing.ts for which reads, and how a user still sees their own writes.
   */
  replica: Database | null;
  /**
   * Subscribes to a notification channel (LISTEN). `up` is called whenever the subscription is
   * (re)established; `down` when the connection carrying it is lost, after which notifications may
   * have been missed until the next `up` (the subscription is renewed by itself). Returns the
   * unsubscribe.
   */
  listen(channel: string, handlers: ListenHandlers): () => Promise<void>;
  /**
   * Calls `onStart` when a transaction on `db` that may write starts (any but `accessMode: 'read
   * only'`); the function it returns is called when that transaction has ended (committed or rolled
   * back). Every write that moves the data version runs in one, so this tells what this process is
   * writing (db/src/dataset-watch.ts). Returns the unsubscribe.
   */
  onTransaction(onStart: () => () => void): () => void;
  close(): Promise<void>;
}

export interface ListenHandlers {
  notify: () => void;
  up: () => void;
  down: () => void;
}

export interface OpenOptions {
  /** postgres:// URL; when absent, the embedded PGlite is used. */
  url?: string;
  /** PGlite data folder; `memory://` for a throwaway in-memory database. */
  dataDir?: string;
  /** postgres.js pool size. */
  maxConnections?: number;
  /** postgres:// URL of a read replica of `url` (default: DATABASE_READ_URL). */
  readUrl?: string;
}

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../migrations');

export function defaultPgliteDir(): string {
  return process.env.PGLITE_DATA_DIR ?? join(process.cwd(), '.data', 'pglite');
}

/** Opens the database the environment names (DATABASE_URL, PGLITE_DATA_DIR), or the one given. */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const url = options.url ?? process.env.DATABASE_URL;
  const database = url ? openPostgres(url, options) : await openPglite(options.dataDir ?? defaultPgliteDir());
  await probe(database);
  const readUrl = options.readUrl ?? (options.url ? undefined : process.env.DATABASE_READ_URL);
  if (readUrl) {
    if (!url) throw new Error('DATABASE_READ_URL needs DATABASE_URL: the embedded PGlite has no replicas');
    const replica = openPostgres(readUrl, options);
    await probe(replica);
    database.replica = replica;
    const closePrimary = database.close;
    database.close = async () => {
      await replica.close();
      await closePrimary();
    };
  }
  return database;
}

/** Reads the PostGIS version and what it can do (again after migrating: a fresh database has no PostGIS yet). */
async function probe(database: Database): Promise<void> {
  const version = await database
    .rows<{ version: string }>(sql`SELECT postgis_lib_version() AS version`)
    .catch(() => [{ version: '' }]);
  database.postgisVersion = version[0]?.version ?? '';
  database.capabilities = { asMvt: await probeAsMvt(database) };
}

async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir, extensions: { postgis } });
  // PostGIS must exist before the migrations' first geometry column; creating it here as well as
  // in migration 0000 lets a fresh PGlite load the extension's types before drizzle's first query.
  await client.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  return assemble(
    'pglite',
    (logger) => drizzlePglite(client, { ...DRIZZLE_OPTIONS, logger }),
    () => client.close(),
    (channel, handlers) => listenOnPglite(client, channel, handlers),
  );
}

const DRIZZLE_OPTIONS = { schema: tables, casing: 'snake_case' } as const;

/** The Database around a drizzle handle; every statement drizzle sends is reported to onQuery. */
function assemble(
  backend: Backend,
  connect: (logger: Logger) => unknown,
  close: () => Promise<void>,
  listen: Database['listen'],
): Database {
  const database = {
    backend,
    capabilities: { asMvt: false },
    postgisVersion: '',
    replica: null,
    listen,
    close,
  } as Database;
  const db = connect({ logQuery: (statement) => database.onQuery?.(statement) }) as AppDb;
  const watchers = new Set<() => () => void>();
  const transaction = db.transaction.bind(db);
  db.transaction = (async (...args: Parameters<AppDb['transaction']>) => {
    const readOnly = args[1]?.accessMode === 'read only';
    const ends = readOnly ? [] : [...watchers].map((onStart) => onStart());
    try {
      return await transaction(...args);
    } finally {
      for (const end of ends) end();
    }
  }) as AppDb['transaction'];
  database.db = db;
  database.onTransaction = (onStart) => {
    watchers.add(onStart);
    return () => watchers.delete(onStart);
  };
  database.rows = (query) => queryRows(database.db, query);
  return database;
}

function openPostgres(url: string, options: OpenOptions): Database {
  const client = postgres(url, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
    // Fail fast when the server is away rather than hanging a request.
    connect_timeout: 5,
    // Reconnect promptly after a restart. The default backoff grows with every failed attempt
    // across the pool (3^n / 100 s, up to 20 s): under load a 2-second restart left requests
    // waiting 10–20 s. At most half a second between attempts keeps recovery within a second.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5) * (0.5 + Math.random() / 2),
    // Plan every execution with its actual parameters: a cached generic plan cannot use the
    // prefix index for `code LIKE $1` or size a spatial box, and was measured 1.5× slower here.
    connection: { plan_cache_mode: 'force_custom_plan' },
  });
  // Listeners have connections of their own: closing the database ends them too.
  const listeners = new Set<() => Promise<void>>();
  return assemble(
    'postgres',
    (logger) => drizzlePostgres(client, { ...DRIZZLE_OPTIONS, logger }),
    async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      await client.end({ timeout: 5 });
    },
    (channel, handlers) => {
      const stop = listenOnPostgres(url, channel, handlers);
      listeners.add(stop);
      return async () => {
        listeners.delete(stop);
        await stop();
      };
    },
  );
}

/**
 * LISTEN on a connection of its own, outside the pool (a pooled connection is shared and may be
 * closed when idle). When that connection is lost (a restart, a terminated backend), `down` is
 * called and LISTEN is tried again every half second until it succeeds, which calls `up`.
 */
function listenOnPostgres(url: string, channel: string, handlers: ListenHandlers): () => Promise<void> {
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  // `onnotify` is an option of postgres.js (its own `listen` uses it) missing from its types.
  const options = {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    connect_timeout: 5,
    fetch_types: false,
    onnotice: () => {},
    onnotify: (name: string) => {
      if (name === channel && !stopped) handlers.notify();
    },
    onclose: () => {
      if (stopped) return;
      handlers.down();
      subscribeIn(500);
    },
  };
  const client = postgres(url, options);
  const subscribe = () => {
    client.unsafe(`LISTEN "${channel}"`).then(
      () => {
        if (!stopped) handlers.up();
      },
      () => {
        if (stopped) return;
        handlers.down();
        subscribeIn(500);
      },
    );
  };
  const subscribeIn = (ms: number) => {
    clearTimeout(retry);
    retry = setTimeout(subscribe, ms);
    retry.unref();
  };
  subscribe();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client.end({ timeout: 1 });
  };
}

/** PGlite runs in this process and is never disconnected: `up` once subscribed, never `down`. */
function listenOnPglite(client: PGlite, channel: string, handlers: ListenHandlers): () => Promise<void> {
  let stopped = false;
  const unsubscribe = client
    .listen(channel, () => {
      if (!stopped) handlers.notify();
    })
    .then((stop) => {
      if (!stopped) handlers.up();
      return stop;
    })
    // Never subscribed: `up` is never called, so whoever listens keeps reading the row instead.
    .catch(() => null);
  return async () => {
    stopped = true;
    await (await unsubscribe)?.();
  };
}

async function probeAsMvt(database: Database): Promise<boolean> {
  try {
    await database.rows(
      sql`SELECT ST_AsMVT(q) FROM (SELECT ST_AsMVTGeom(ST_Point(0, 0), ST_MakeEnvelope(0, 0, 1, 1)) AS geom) q`,
    );
    return true;
  } catch {
    return false;
  }
}

/** The advisory lock of the fills after migrating (an arbitrary number of this product's). */
const FILL_LOCK = 7_170_017;

/** Applies the migrations under db/migrations (idempotent). */
export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  // database.db is typed as what both drivers share; each migrator names its own driver's type.
  if (database.backend === 'pglite') {
    await migratePglite(database.db as never, config);
  } else {
    await migratePostgres(database.db as never, config);
  }
  await probe(database);
  // Data a migration added a table for but cannot compute in SQL alone (the rules are in TypeScript).
  // Under a lock: two servers starting on one database fill it once.
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${FILL_LOCK})`);
    await fillMonitoringFiguresIfMissing(tx);
  });
}
