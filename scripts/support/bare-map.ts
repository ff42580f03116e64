// The baseline of `pnpm bench:web`: a bare MapLibre page that draws the same county boundaries from
// one pre-built GeoJSON file, coloured by a fixed property (five classes and no data), with nothing
// else — no API, no tiles, no panels, no fonts. The leadership map is timed against it in the same
// browser, with the same flags and viewport, in the same run (issue #15).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

const MAPLIBRE_DIST = new URL('../../web/node_modules/maplibre-gl/dist/', import.meta.url).pathname;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.geojson': 'application/geo+json',
};

/** The page: MapLibre's own build, the national view the product opens on, one GeoJSON source. */
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="/maplibre/maplibre-gl.css">
<style>html,body,#map{margin:0;height:100%}</style></head>
<body><div id="map"></div>
<script type="module">
import { Map, setWorkerUrl } from '/maplibre/maplibre-gl.mjs';
setWorkerUrl('/maplibre/maplibre-gl-worker.mjs');
const colours = ['#edf8e9', '#bae4b3', '#74c476', '#31a354', '#006d2c'];
const map = new Map({
  container: 'map',
  // The product's national framing (web/src/map/map-view.tsx, MAINLAND_BOUNDS and its padding).
  bounds: [73.5, 17.8, 135.1, 53.6],
  fitBoundsOptions: { padding: { top: 20, bottom: 20, left: 20, right: 200 } },
  attributionControl: false,
  style: {
    version: 8,
    sources: { counties: { type: 'geojson', data: '/counties.geojson' } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f5f7fa' } },
      { id: 'fill', type: 'fill', source: 'counties', paint: {
        'fill-color': ['match', ['get', 'cls'], ${[0, 1, 2, 3, 4].map((i) => `${i}, colours[${i}]`).join(', ')}, '#d9d9d9'],
        'fill-opacity': 0.92 } },
      { id: 'line', type: 'line', source: 'counties', paint: { 'line-color': '#ffffff', 'line-width': 0.4 } },
    ],
  },
});
globalThis.__bare = map;
</script></body></html>`;

/**
 * Serves the bare page on a loopback port. The boundaries are the product's own counties (its
 * GeoJSON export, simplified by `simplify` degrees), each given a class from its code.
 */
export async function startBareMap(
  productBase: string,
  simplify = 0.01,
): Promise<{ url: string; bytes: number; features: number; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rrm-bare-map-'));
  const response = await fetch(`${productBase}/export/counties.geojson?simplify=${simplify}&lang=en`);
  if (!response.ok) throw new Error(`county boundaries: HTTP ${response.status}`);
  const collection = (await response.json()) as {
    features: { geometry: unknown; properties: Record<string, unknown> }[];
  };
  const features = collection.features
    .filter((f) => f.geometry)
    .map((f) => {
      const code = String(f.properties.code ?? '');
      return { type: 'Feature', geometry: f.geometry, properties: { code, cls: Number(code) % 6 } };
    });
  const geojson = JSON.stringify({ type: 'FeatureCollection', features });
  writeFileSync(join(dir, 'counties.geojson'), geojson);
  writeFileSync(join(dir, 'index.html'), PAGE);

  const server = createServer((req, res) => {
    try {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      const root = path.startsWith('/maplibre/') ? MAPLIBRE_DIST : `${dir}/`;
      const file = join(root, path.startsWith('/maplibre/') ? path.slice('/maplibre/'.length) : path);
      const page = path === '/';
      if (!page && !file.startsWith(root)) throw new Error('outside');
      const body = readFileSync(page ? join(dir, 'index.html') : file);
      res.writeHead(200, {
        'content-type': TYPES[extname(page ? 'index.html' : file)] ?? 'application/octet-stream',
        // As the product serves its own: the page revalidated, the rest kept (a reload is "warm").
        'cache-control': page ? 'no-cache' : 'public, max-age=3600',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    bytes: Buffer.byteLength(geojson),
    features: features.length,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
