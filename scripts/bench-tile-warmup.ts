// `PGLITE_DATA_DIR=… pnpm bench:warmup`: how long the national tile warm-up holds up everyone else
// on the embedded database (issue #10). On PGlite the database runs on Node's one thread and the
// tiles are indexed there (geojson-vt), so a warm-up that reads or indexes a layer in one piece
// stalls every request for that long. The bench serves the product on national data, asks /healthz
// (a database round trip) every 50 ms while idle — the baseline — and then while the warm-up of
// zooms 0–5 runs, and prints each probe's wait measured from when it was due, so a stalled thread
// counts in full.
import { createServer, get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '@rrm/db';
import { createApp, prewarm, TILE_LAYERS } from '@rrm/server';
import { sql } from 'drizzle-orm';
import { markdownTable } from './support/national-server.ts';

const EVERY_MS = 50;
const IDLE_MS = 5_000;

const dataDir = process.env.PGLITE_DATA_DIR;
if (!dataDir || process.env.DATABASE_URL) {
  console.error(
    'set PGLITE_DATA_DIR to an embedded database holding the national demo data (and no DATABASE_URL)',
  );
  process.exit(2);
}
const database = await openDatabase({ dataDir });
const [{ villages }] = (await database.rows<{ villages: number }>(
  sql`SELECT count(*)::int AS villages FROM villages`,
)) as [{ villages: number }];
if (villages < 100_000)
  console.log(`note: ${villages} villages: not the national data, figures will be small`);
const app = await createApp(database, { prewarmTiles: false });
const server = createServer(app.handler).listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;

/** One GET on a connection of its own (a kept-alive one can be closed under a stalled probe). */
function get(target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = httpGet(target, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve());
    });
    request.on('error', reject);
  });
}

/** Probes /healthz every EVERY_MS until `until` settles; each wait counted from when it was due. */
async function probe(until: Promise<unknown>): Promise<number[]> {
  const waits: number[] = [];
  const started = performance.now();
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const inFlight: Promise<void>[] = [];
  for (let i = 0; !done; i++) {
    const due = started + i * EVERY_MS;
    const delay = due - performance.now();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    inFlight.push(
      get(url).then(() => {
        waits.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(inFlight);
  return waits.sort((a, b) => a - b);
}

const at = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
const row = (phase: string, waits: number[], baseline: number) => [
  phase,
  String(waits.length),
  at(waits, 0.5).toFixed(1),
  at(waits, 0.99).toFixed(1),
  waits.at(-1)!.toFixed(1),
  (waits.at(-1)! / baseline).toFixed(1),
];

const idle = await probe(new Promise((resolve) => setTimeout(resolve, IDLE_MS)));
const baseline = at(idle, 0.5);
const warmStarted = performance.now();
const layers = Object.values(TILE_LAYERS).filter((l) => l.changesWith === 'figures');
const warming = prewarm(database, layers, 2021, 'bench', new AbortController().signal);
const during = await probe(warming);
const tiles = await warming;
const warmSeconds = (performance.now() - warmStarted) / 1000;

console.log(
  `\nnational tile warm-up on PGlite (${villages.toLocaleString()} villages), ${new Date().toISOString().slice(0, 10)}: ` +
    `${tiles} tiles of zooms 0–5 in ${warmSeconds.toFixed(1)} s; /healthz every ${EVERY_MS} ms, wait from when due\n`,
);
console.log(
  markdownTable(
    ['phase', 'probes', 'p50 ms', 'p99 ms', 'longest ms', 'longest ÷ idle p50'],
    [row('idle (baseline)', idle, baseline), row('during the warm-up', during, baseline)],
  ),
);
server.close();
await app.stop();
await database.close();
