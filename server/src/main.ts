// `pnpm start`: one process. Opens the database (embedded PGlite unless DATABASE_URL is set),
// migrates it, loads the demo data on first start, and serves the API and the web app.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DEMO_PASSWORD,
  defaultPgliteDir,
  enabledAdmins,
  findDataset,
  hasDataset,
  isDemoDataOnly,
  isDemoUsername,
  isProduction,
  migrateDatabase,
  openDatabase,
  verifyPassword,
} from '@rrm/db';
import {
  buildGeographyInBackground,
  type DemoScale,
  HouseholdsLoadSuperseded,
  loadPendingHouseholds,
  seedDemoData,
} from '@rrm/db/seed';
import { createApp } from './app.ts';
import { startHourlyJobs } from './hourly-jobs.ts';
import { buildWebApp } from './web-build.ts';

/** Attempts at loading pending households, and the wait between them (loadHouseholdsInBackground). */
const HOUSEHOLD_LOAD_ATTEMPTS = 3;
const HOUSEHOLD_LOAD_RETRY_MS = 30_000;
/**
 * A stop (SIGINT, SIGTERM): the requests in flight get this long to finish, then the households'
 * step under way (an index build, the final count: seconds on PGlite), and the whole stop at most
 * SHUTDOWN_MS before it exits with the database not closed.
 */
const STOP_REQUESTS_MS = 3_000;
const STOP_HOUSEHOLDS_STEP_MS = 8_000;
const SHUTDOWN_MS = 15_000;

const port = Number(process.env.PORT ?? 4000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

// `pnpm start` passes --build-web: the web app is built beside the start, awaited before serving.
const webApp = process.argv.includes('--build-web') ? buildWebApp() : Promise.resolve();
// Said at once if it fails (the start goes on, and stops before serving, at `await webApp`).
webApp.catch((error: Error) => console.error(error.message));

// A first start on the embedded database (a new data folder) needs the demo geography: it is
// built on the other core while PGlite creates the database and migrates it. (On PostgreSQL that
// takes a second or two: the load builds it when it needs it.)
const newEmbeddedDatabase = !process.env.DATABASE_URL && !existsSync(join(defaultPgliteDir(), 'PG_VERSION'));
const geography = newEmbeddedDatabase ? buildGeographyInBackground() : null;
const database = await openDatabase().catch((error) => {
  geography?.stop();
  throw error;
});
console.log(
  `database: ${database.backend}, PostGIS ${database.postgisVersion}, ST_AsMVT ${database.capabilities.asMvt ? 'yes' : 'no (tiles cut in Node)'}`,
);
await migrateDatabase(database).catch((error) => {
  geography?.stop();
  throw error;
});

if (!(await hasDataset(database.db))) {
  const scale = (process.env.DEMO_SCALE ?? 'national') as DemoScale;
  console.log(`empty database: loading the ${scale} demo dataset (first start only)`);
  // The map's data now, planned from what the geography's child sends before it simplifies the
  // boundaries; the monitored households after the server answers (below).
  await seedDemoData(database, { scale, deferHouseholds: true, geography }).catch((error) => {
    // The geography's child (and its mapshaper) would go on writing to this terminal.
    geography?.stop();
    throw error;
  });
} else geography?.stop();

// Without an admin who can log in, nobody can manage users: say how to make one. The demo rule
// (db/src/supervision/demo.ts) decides who can: no demo user in production, and no one on the demo
// password once real data is imported.
const demoPasswordRefused = isProduction() || !isDemoDataOnly(await findDataset(database.db));
const admins: string[] = [];
for (const admin of await enabledAdmins(database.db)) {
  if (isProduction() && isDemoUsername(admin.username)) continue;
  if (demoPasswordRefused && (await verifyPassword(DEMO_PASSWORD, admin.passwordHash))) continue;
  admins.push(admin.username);
  break; // one is enough (each check is a scrypt)
}
if (admins.length === 0) {
  console.log(
    'no enabled admin can log in: create one with\n' +
      '  RRM_PASSWORD=... pnpm users create --username <name> --name <display name> --role admin\n' +
      '(the password is read from RRM_PASSWORD or standard input; see docs/supervision.md),\n' +
      'or give an existing admin a real password: pnpm users set-password --username <name>',
  );
}

if (process.env.NODE_ENV === 'production' && !process.env.TRUST_PROXY)
  console.log(
    'note: TRUST_PROXY is not set; behind a load balancer every client shares its address, and the login limit (20 a minute per address) applies to all of them: set TRUST_PROXY (e.g. "loopback" or the number of proxies)',
  );
await webApp;
const app = await createApp(database);
const server: Server = createServer(app.handler).listen(port, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`ready on http://localhost:${actualPort}  (GraphQL at /graphql, health at /healthz)`);
  loadHouseholdsInBackground();
});

/** The households' second stage while it runs: a stop waits (a while) for its step under way. */
let householdsLoad: Promise<unknown> = Promise.resolve();

/**
 * The second stage of a first start (or of one that a stop cut short): the monitored households,
 * loaded while the map is served, a step at a time between requests. Until they land, monitoring
 * reads, writes and imports answer "still loading" (db/src/monitoring/pending.ts). A failed attempt
 * is tried again a few times; one that another took over (a reload, another server) just stops.
 */
function loadHouseholdsInBackground(attempt = 1) {
  if (stopping) return;
  householdsLoad = loadPendingHouseholds(database, {
    // A stop ends the load before its next step; the next start loads them again.
    between: () => (stopping ? Promise.reject(new Error('the server is stopping')) : app.whenQuiet()),
    lowPriority: true,
  }).catch((error: Error) => {
    if (stopping) return;
    if (error instanceof HouseholdsLoadSuperseded)
      return console.log(`monitored households: ${error.message}`);
    const again = attempt < HOUSEHOLD_LOAD_ATTEMPTS;
    console.error(
      `the monitored households could not be loaded: ${error.message}\n` +
        (again
          ? `trying again in ${HOUSEHOLD_LOAD_RETRY_MS / 1000} s (attempt ${attempt + 1} of ${HOUSEHOLD_LOAD_ATTEMPTS})`
          : 'monitoring answers "still loading" until they are: restart the server to load them again'),
    );
    if (again) setTimeout(() => loadHouseholdsInBackground(attempt + 1), HOUSEHOLD_LOAD_RETRY_MS).unref();
  });
}

// The daily reminders and the evidence cleanup (hourly-jobs.ts). HOURLY_JOBS=off: another
// process runs them (e.g. cron with `pnpm ledger:remind`).
const stopHourlyJobs = process.env.HOURLY_JOBS === 'off' ? () => {} : startHourlyJobs(database);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return console.log(`${signal}: still stopping (at most ${SHUTDOWN_MS / 1000} s in all)`);
  stopping = true;
  console.log(`${signal}: finishing requests in flight, then closing the database`);
  // Kept referenced: a stop that hangs ends here, said, rather than in a silent exit with the
  // database left open (the embedded one then replays its log at the next start).
  setTimeout(() => {
    console.error(`could not stop within ${SHUTDOWN_MS / 1000} s: exiting with the database not closed`);
    process.exit(1);
  }, SHUTDOWN_MS);
  stopHourlyJobs();
  const requestsDone = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await Promise.race([requestsDone, sleep(STOP_REQUESTS_MS)]);
  server.closeAllConnections();
  await Promise.race([householdsLoad, sleep(STOP_HOUSEHOLDS_STEP_MS)]);
  let failed = false;
  for (const [what, step] of [
    ['stopping the app', () => app.stop()],
    ['closing the database', () => database.close()],
  ] as const) {
    try {
      await step();
    } catch (error) {
      failed = true;
      console.error(`${what} failed: ${(error as Error).message}`);
    }
  }
  console.log(failed ? 'stopped, with the errors above' : 'stopped: the database is closed');
  process.exit(failed ? 1 : 0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
