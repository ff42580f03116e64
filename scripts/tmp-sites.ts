import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '@rrm/db';
import { seedDemoData } from '@rrm/db/seed';
import { createApp } from '@rrm/server';
import { chinaTiles } from '../server/src/tiles/cut.ts';
const db = await openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'x-')) });
await migrateDatabase(db);
await seedDemoData(db, { scale: 'province', province: '52', log: () => {} });
const app = await createApp(db);
const server = app.express.listen(0);
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
// Guizhou at z7: x 101-105, y 53-56
const layers = ['counties', 'villages', 'relocation-sites', 'supervision-counties', 'supervision-villages', 'provinces', 'prefectures'];
const t0 = performance.now();
const results = await Promise.all(layers.flatMap((layer) => [6, 7].flatMap((z) => {
  const out = [];
  const [x0, x1, y0, y1] = z === 6 ? [50, 52, 26, 28] : [101, 104, 53, 56];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push(fetch(`${url}/tiles/${layer}/${z}/${x}/${y}.pbf?year=2021`).then(async (r) => [layer, z, x, y, r.status, (await r.arrayBuffer()).byteLength]));
  return out;
})));
const by = new Map<string, number[]>();
for (const [layer, , , , status, bytes] of results as [string, number, number, number, number, number][]) {
  const v = by.get(layer) ?? [0, 0, 0]; v[0]++; if (status !== 200) v[1]++; v[2] += bytes; by.set(layer, v);
}
console.log([...by].map(([k, v]) => `${k}: ${v[0]} tiles, ${v[1]} errors, ${v[2]} bytes`).join('\n'), (performance.now() - t0).toFixed(0), 'ms');
process.exit(0);
