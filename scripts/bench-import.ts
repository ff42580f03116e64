// `pnpm bench:import`: imports the national `village-years` (about 2.1 M rows) from CSV on
// PostgreSQL and prints rows/s beside PostgreSQL's own COPY of the same file into the same table
// (emptied first: its key, indexes and foreign key to villages), in the same run, with the
// importing process's peak RSS. A COPY into a bare copy of the table (no foreign key) is shown too.
//
// A throwaway cluster is loaded with the national demo data; its village_indicators are written
// out as CSV (English keys as headers, as the import accepts), then emptied, and the CSV imported
// by a child process (so its peak RSS is the import's alone, not the demo generator's): every row
// is new. COPY and the all-new import alternate for `--rounds` rounds (3), each shown by its median.
// The same file is then imported again (every row unchanged).
//
// `--pglite` measures the embedded database too, in the same run: the same demo data in a PGlite
// folder, PGlite's own COPY of the file (from memory: PGlite reads COPY input from a Blob) as its
// baseline, then the same two imports.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { importFile, migrateDatabase, openDatabase } from '@rrm/db';
import { seedDemoData } from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { markdownTable } from './support/national-server.ts';
import { findPostgres, startCluster } from './support/postgres-cluster.ts';

/** PGlite's query, with the Blob its COPY … FROM '/dev/blob' reads. */
interface PgliteCopy {
  query(statement: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

// Child mode: import the file and report the result, timings and peak RSS as JSON.
if (process.argv[2] === '--child') {
  const [, , , target, path] = process.argv;
  // A postgres:// URL, or a PGlite folder.
  const database = await openDatabase(
    target!.startsWith('postgres') ? { url: target, maxConnections: 2 } : { dataDir: target },
  );
  try {
    const started = performance.now();
    const result = await importFile(database, {
      dataset: 'village-years',
      path: path!,
      who: 'bench:import',
      log: (line) => console.error(`    ${line}`),
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      JSON.stringify({
        result: result.result,
        errors: result.errorCount,
        firstErrors: result.errors.slice(0, 5),
        rows: result.rows,
        newRows: result.newRows,
        changedRows: result.changedRows,
        unchangedRows: result.unchangedRows,
        seconds,
        phases: result.seconds,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
      }),
    );
  } finally {
    await database.close();
  }
  process.exit(0);
}

const found = findPostgres();
if ('skip' in found) {
  console.error(`cannot benchmark: ${found.skip}`);
  process.exit(2);
}
// `--scale province` for a quick look (about 200 k rows); the figure to report is the national one.
const scaleArg = process.argv.indexOf('--scale');
const scale = (scaleArg > 0 ? process.argv[scaleArg + 1] : 'national') as 'national' | 'province';
// `--rounds N` (default 3): how many times COPY and the all-new import each run.
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = Math.max(1, roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;
const cluster = await startCluster(found.bin);
const dir = mkdtempSync(join(tmpdir(), 'rrm-bench-import-'));
const csv = join(dir, 'village-years.csv');
const client = postgres(cluster.url, { max: 1, onnotice: () => {} });
try {
  const database = await openDatabase({ url: cluster.url, maxConnections: 4 });
  try {
    await migrateDatabase(database);
    console.log(`loading the ${scale} demo dataset (a few minutes)…`);
    await seedDemoData(database, { scale, replace: true, log: () => {} });
  } finally {
    await database.close();
  }
  console.log('writing village_indicators as CSV…');
  // Through a cursor, not COPY TO STDOUT: postgres.js's readable() stalled now and then once the
  // server had sent everything (the connection idle, the stream never ended).
  const out = createWriteStream(csv);
  let header = false;
  for await (const rows of client`SELECT * FROM village_indicators ORDER BY village_code, year`.cursor(
    10_000,
  )) {
    if (!header && rows.length) {
      out.write(`${Object.keys(rows[0]!).join(',')}\n`);
      header = true;
    }
    const text = rows
      .map((r) =>
        Object.values(r)
          .map((v) => (v == null ? '' : String(v)))
          .join(','),
      )
      .join('\n');
    if (!out.write(`${text}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  const [{ n }] = (await client`SELECT count(*)::int AS n FROM village_indicators`) as unknown as [
    { n: number },
  ];
  const mb = statSync(csv).size / 1024 / 1024;
  console.log(`  ${n} rows, ${mb.toFixed(0)} MB`);

  // PostgreSQL's own COPY of the same file: into the same table, emptied (the baseline),
  // and into a copy without the foreign key (LIKE … INCLUDING ALL: key and indexes only).
  const copyInto = async (table: string) => {
    const started = performance.now();
    const sink = await client`COPY ${client(table)} FROM STDIN WITH (FORMAT csv, HEADER true)`.writable();
    await pipeline(createReadStream(csv), sink);
    return (performance.now() - started) / 1000;
  };
  // Emptied by TRUNCATE: every load starts from new, empty files, as the first import of a real
  // table does. (After DELETE and VACUUM the key's index kept its emptied pages, and each load
  // into it ran slower than the one before: COPY 16.5 → 20.3 s over three rounds.)
  const empty = async () => {
    await client`TRUNCATE village_indicators`;
    await client`VACUUM ANALYZE village_indicators`;
  };
  await client`CREATE TABLE village_indicators_copy (LIKE village_indicators INCLUDING ALL)`;
  const bareCopySeconds = await copyInto('village_indicators_copy');
  console.log(`  COPY into a bare copy: ${bareCopySeconds.toFixed(1)} s`);
  // Every load starts with nothing left for autovacuum, as the COPY did: the bare copy's two
  // million rows, or the first import's, were otherwise vacuumed beside the next load, on the same
  // two cores (the re-import: 13 → 16 s).
  await client`DROP TABLE village_indicators_copy`;
  const runImport = (label: string, target = cluster.url) => {
    console.log(`importing (${label})…`);
    const child = spawnSync(
      process.execPath,
      // With the heap limit `pnpm data:import` runs under (package.json): without one, V8 on this
      // 24 GB machine let garbage pile up and the peak RSS swung from 340 to 490 MB between runs.
      ['--max-old-space-size=384', '--import', 'tsx', 'scripts/bench-import.ts', '--child', target, csv],
      {
        cwd: new URL('..', import.meta.url).pathname,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 24,
      },
    );
    if (child.status !== 0) throw new Error(`import child failed (${child.status})`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      result: string;
      errors: number;
      firstErrors: unknown[];
      rows: number;
      newRows: number;
      changedRows: number;
      unchangedRows: number;
      seconds: number;
      phases: { inspect: number; validate: number; write: number };
      maxRssMb: number;
    };
  };
  // COPY and the import of all-new rows alternate, round after round, and each is shown by its
  // median: an import keeps both cores busy (Node checks, PostgreSQL writes) where COPY uses one,
  // so anything else the machine does moves the import more (one run alone ranged 0.58–0.76×).
  const copyRounds: number[] = [];
  const freshRounds: Array<ReturnType<typeof runImport>> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await empty();
    copyRounds.push(await copyInto('village_indicators'));
    console.log(`  COPY into the table (round ${round}): ${copyRounds.at(-1)!.toFixed(1)} s`);
    await empty();
    freshRounds.push(runImport(`every row new, round ${round}`));
  }
  const copySeconds = median(copyRounds);
  const fresh = [...freshRounds].sort((a, b) => a.seconds - b.seconds)[(ROUNDS - 1) >> 1]!;
  for (const e of fresh.firstErrors) console.log(`  error: ${JSON.stringify(e)}`);
  const roundsNote = (times: number[]) => `rounds ${times.map((t) => t.toFixed(1)).join(', ')} s`;
  await client`VACUUM ANALYZE village_indicators`;
  const again = runImport('the same file again: every row unchanged');
  const row = (
    label: string,
    rows: number,
    seconds: number,
    rss: string,
    note: string,
    baseline = copySeconds,
  ) => [
    label,
    rows.toLocaleString('en'),
    seconds.toFixed(1),
    Math.round(rows / seconds).toLocaleString('en'),
    (baseline / seconds).toFixed(2),
    rss,
    note,
  ];
  const phases = (r: typeof fresh) =>
    `read ${r.phases.inspect.toFixed(1)} s, check, stage and write lots ${r.phases.validate.toFixed(1)} s, last lot and rollup ${r.phases.write.toFixed(1)} s`;
  console.log(
    `\n${scale} village-years, ${n} rows, ${mb.toFixed(0)} MB CSV, PostgreSQL ${found.version}, ${new Date().toISOString().slice(0, 10)}\n`,
  );
  console.log(
    markdownTable(
      ['load', 'rows', 's', 'rows/s', '× COPY', 'peak RSS', 'phases'],
      [
        row(
          `COPY into the table (emptied), median of ${ROUNDS}`,
          n,
          copySeconds,
          '—',
          `key, indexes, foreign key; ${roundsNote(copyRounds)}`,
        ),
        row('COPY into a bare copy', n, bareCopySeconds, '—', 'key and indexes, no foreign key'),
        row(
          `data:import, all new (${fresh.result}, ${fresh.newRows} new), median of ${ROUNDS}`,
          fresh.rows,
          fresh.seconds,
          `${Math.max(...freshRounds.map((r) => r.maxRssMb)).toFixed(0)} MB`,
          `${phases(fresh)}; ${roundsNote(freshRounds.map((r) => r.seconds))}`,
        ),
        row(
          `data:import again (${again.unchangedRows} unchanged)`,
          again.rows,
          again.seconds,
          `${again.maxRssMb.toFixed(0)} MB`,
          phases(again),
        ),
      ],
    ),
  );
  console.log(
    '\nThe import also checks every row before writing, keeps undo data, and refreshes the region rollup.',
  );
  // The same on the embedded PGlite: its own COPY of the file is the baseline.
  async function benchPglite() {
    console.log('\nloading the same demo dataset into PGlite (a few minutes)…');
    const folder = join(dir, 'pglite');
    const lite = await openDatabase({ dataDir: folder });
    let liteCopySeconds: number;
    try {
      await migrateDatabase(lite);
      await seedDemoData(lite, { scale, replace: true, log: () => {} });
      await lite.rows(sql`DELETE FROM village_indicators`);
      // PGlite reads COPY input from a Blob (`/dev/blob`); drizzle keeps the PGlite client as $client.
      const pglite = (lite.db as unknown as { $client: PgliteCopy }).$client;
      const started = performance.now();
      await pglite.query("COPY village_indicators FROM '/dev/blob' WITH (FORMAT csv, HEADER true)", [], {
        blob: new Blob([readFileSync(csv)]),
      });
      liteCopySeconds = (performance.now() - started) / 1000;
      await lite.rows(sql`DELETE FROM village_indicators`);
      await lite.rows(sql`VACUUM ANALYZE village_indicators`);
    } finally {
      await lite.close();
    }
    console.log(`  PGlite COPY: ${liteCopySeconds.toFixed(1)} s`);
    const liteFresh = runImport('PGlite, every row new', folder);
    const liteAgain = runImport('PGlite, the same file again', folder);
    console.log(`\nthe same on PGlite (${new Date().toISOString().slice(0, 10)})\n`);
    console.log(
      markdownTable(
        ['load', 'rows', 's', 'rows/s', '× COPY', 'peak RSS', 'phases'],
        [
          row(
            'PGlite COPY into the table (emptied)',
            n,
            liteCopySeconds,
            '—',
            'from memory',
            liteCopySeconds,
          ),
          row(
            `data:import on PGlite, all new (${liteFresh.result})`,
            liteFresh.rows,
            liteFresh.seconds,
            `${liteFresh.maxRssMb.toFixed(0)} MB`,
            phases(liteFresh),
            liteCopySeconds,
          ),
          row(
            `data:import on PGlite again (${liteAgain.unchangedRows} unchanged)`,
            liteAgain.rows,
            liteAgain.seconds,
            `${liteAgain.maxRssMb.toFixed(0)} MB`,
            phases(liteAgain),
            liteCopySeconds,
          ),
        ],
      ),
    );
  }
  if (process.argv.includes('--pglite')) await benchPglite();
} finally {
  await client.end();
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
