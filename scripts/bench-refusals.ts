// `pnpm bench:refusals`: how long the server takes to refuse a request for its shape or cost,
// whatever the shape — fragments that double at every level, a flood of aliases, nested pages, an
// interface hiding its cost, a polygon reused many times, thousands of national lists. Each is sent
// over HTTP to the product (embedded PGlite, loaded with the tiny demo data), REPEAT times, beside
// a trivial query in the same run as the baseline. The goal: every refusal under 50 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '@rrm/db';
import { seedDemoData } from '@rrm/db/seed';
import { createApp, MAX_TOKENS } from '@rrm/server';
import { parse } from 'graphql';
import { markdownTable } from './support/national-server.ts';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 20);

function doubling(levels: number) {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1
      ? `fragment F${i} on Region { name }`
      : `fragment F${i} on Region { ...F${i + 1} children { ...F${i + 1} } }`,
  );
  return `{ provinces { ...F0 } } ${fragments.join(' ')}`;
}

function circle(n: number) {
  const ring = Array.from({ length: n }, (_, i) => [
    105 + Math.cos((i / n) * 6.283),
    30 + Math.sin((i / n) * 6.283),
  ]);
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

/** As many aliases of `field` as fit under the token limit (commas are not tokens). */
function aliasFlood(field: string) {
  const tokens = parse(`{ a: ${field} }`).loc?.startToken;
  let perCopy = 0;
  for (let t = tokens?.next; t && t.kind !== '<EOF>'; t = t.next) perCopy++;
  const copies = Math.floor((MAX_TOKENS - 10) / (perCopy - 1));
  return `{ ${Array.from({ length: copies }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
}

const SHAPES: Array<{ name: string; query: string; variables?: Record<string, unknown> }> = [
  { name: 'baseline: { dataset { label } } (answered)', query: '{ dataset { label } }' },
  { name: 'fragments doubling, 40 levels', query: doubling(40) },
  { name: 'fragments doubling, 12 levels (under the selection limit)', query: doubling(12) },
  {
    name: 'aliases of a national choropleth, to the token limit',
    query: aliasFlood('choropleth(level: COUNTY, indicator: EMPLOYMENT_RATE, year: 2020) { breaks }'),
  },
  {
    name: 'aliases of villages(first: 1000), to the token limit',
    query: aliasFlood('villages(first: 1000) { totalCount }'),
  },
  {
    name: 'aliases of the national listings, to the token limit',
    query: aliasFlood('listings { nodes { id } }'),
  },
  {
    name: 'nested pages of 1,000 × 1,000',
    query: '{ counties(first: 1000) { nodes { villages(first: 1000) { nodes { name } } } } }',
  },
  {
    name: 'nested pages inside an inline fragment on Node',
    query:
      '{ nodes(ids: ["a"]) { ... on County { villages(first: 1000) { nodes { county { villages(first: 1000) { nodes { name } } } } } } } }',
  },
  {
    name: 'a 20,000-vertex polygon used three times',
    query:
      'query($p: GeoJSON) { a: villages(filter: { spatial: { within: $p } }) { totalCount } b: villages(filter: { spatial: { within: $p } }) { totalCount } c: counties(filter: { spatial: { within: $p } }) { totalCount } }',
    variables: { p: circle(20_000) },
  },
  {
    name: 'two logins',
    query:
      'mutation { a: login(username: "x", password: "y") { token } b: login(username: "x", password: "z") { token } }',
  },
];

const dir = mkdtempSync(join(tmpdir(), 'rrm-bench-refusals-'));
const database = await openDatabase({ dataDir: dir });
await migrateDatabase(database);
await seedDemoData(database, { scale: 'tiny', log: () => {} });
const app = await createApp(database);
const server = createServer(app.handler).listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

const rows: string[][] = [];
let baseline = 0;
let worst = { name: '', ms: 0 };
for (const shape of SHAPES) {
  const body = JSON.stringify({ query: shape.query, variables: shape.variables });
  const times: number[] = [];
  let code = '';
  // Two untimed rounds first: the first request of a shape pays for compiling its code paths.
  for (let i = 0; i < 2; i++)
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) =>
      r.json(),
    );
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    times.push(performance.now() - started);
    code = answer.errors?.[0]?.extensions?.code ?? 'answered';
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)]!;
  const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;
  const slowest = times.at(-1)!;
  if (!baseline) baseline = p50;
  else if (slowest > worst.ms) worst = { name: shape.name, ms: slowest };
  rows.push([
    shape.name,
    `${(body.length / 1024).toFixed(1)}`,
    code,
    p50.toFixed(1),
    p95.toFixed(1),
    slowest.toFixed(1),
    (p50 / baseline).toFixed(1),
  ]);
}
console.log(
  `\nrefusals over HTTP, ${REPEAT} times each (PGlite, tiny demo data), ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log(
  markdownTable(['request', 'KB', 'answer', 'p50 ms', 'p95 ms', 'slowest ms', 'p50 ÷ baseline'], rows),
);
console.log(
  `\nslowest refusal of all: ${worst.ms.toFixed(1)} ms (${worst.name}); goal under 50 ms: ${worst.ms < 50 ? 'met' : 'NOT met'}`,
);
server.close();
await app.stop();
await database.close();
rmSync(dir, { recursive: true, force: true });
