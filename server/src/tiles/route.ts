// GET /tiles/{layer}.json            TileJSON 3.0 for a layer
// GET /tiles/{layer}/{z}/{x}/{y}.pbf Mapbox Vector Tile, ?year= (FIRST_YEAR–LAST_YEAR, default DEFAULT_YEAR)
// Every tile carries an ETag from the version it was cut for, and is revalidated on every use
// (no-cache), so a change to the data shows on the next tile request; an unchanged tile costs a 304.
// Base layers follow the figures version; the 挂牌督战 layers follow every write and the day.
import {
  type Database,
  type DatasetVersions,
  DEFAULT_YEAR,
  findDataset,
  isFigureYear,
  ledgerToday,
  YEAR_RANGE,
} from '@rrm/db';
import type { Request, Response, Router } from 'express';
import express from 'express';
import type { DatasetVersionSource } from '../dataset-versions.ts';
import { readerFor } from '../read-routing.ts';
import { cutTile, prewarm } from './cut.ts';
import { TILE_LAYERS, type TileLayer } from './layers.ts';

const MAX_ZOOM = 16;

function badRequest(res: Response, argument: string, message: string) {
  res.status(400).json({
    errors: [{ message: `${argument}: ${message}`, extensions: { code: 'BAD_USER_INPUT', argument } }],
  });
}

/** The layer a request names, or null once it has answered 400. */
function layerOf(req: Request<{ layer: string }>, res: Response): TileLayer | null {
  const layer = TILE_LAYERS[req.params.layer];
  if (!layer)
    badRequest(
      res,
      'layer',
      `unknown layer "${req.params.layer}": use ${Object.keys(TILE_LAYERS).join(', ')}`,
    );
  return layer ?? null;
}

/** The year a request asks for (DEFAULT_YEAR unless given), or null once it has answered 400. */
function yearOf(req: Request, res: Response): number | null {
  const year = req.query.year == null ? DEFAULT_YEAR : Number(req.query.year);
  if (isFigureYear(year)) return year;
  badRequest(res, 'year', `must be ${YEAR_RANGE}`);
  return null;
}

/** The version a layer's tiles are cut for. */
function versionOf(layer: TileLayer, versions: DatasetVersions): string {
  if (layer.changesWith === 'figures') return `f${versions.figuresVersion}`;
  // "Overdue" turns true at Beijing midnight without a write: the day is part of the tile's identity.
  return `s${versions.dataVersion}-${ledgerToday()}`;
}

const BASE_LAYERS = Object.values(TILE_LAYERS).filter((l) => l.changesWith === 'figures');
/** How often the server looks whether the figures version moved, to cut the national view again. */
const REWARM_CHECK_MS = 5_000;

/**
 * Cuts the national view's tiles ahead of its first visitor: at start, and when the figures version
 * moves (an import, a reload). One warm-up at a time; a newer version waits for the current one.
 */
function prewarmer(signal: AbortSignal) {
  let warmed = '';
  let running: Promise<unknown> = Promise.resolve();
  const warm = (source: Database, version: string) => {
    if (version === warmed || signal.aborted) return;
    warmed = version;
    running = running
      .then(() => prewarm(source, BASE_LAYERS, DEFAULT_YEAR, version, signal))
      .catch(() => undefined);
  };
  return { warm };
}

/**
 * The tile routes, and `stop()`, which ends the warm-up: no new cut starts (the one under way, which
 * can be a national index taking seconds, is not waited for: the database closes under it).
 */
export function tilesRouter(
  database: Database,
  versions: DatasetVersionSource,
  options: { publicUrl?: string; prewarm?: boolean } = {},
): { router: Router; stop: () => Promise<void> } {
  const router = express.Router();
  const lifetime = new AbortController();
  const warming = prewarmer(lifetime.signal);
  const warm = options.prewarm === false ? () => {} : warming.warm;
  // Tiles are cut and cached where they are read: the replica when there is one.
  const reader = database.replica ?? database;
  void findDataset(reader.db)
    .then((dataset) => dataset && warm(reader, `f${dataset.figuresVersion}`))
    .catch(() => undefined);
  // When the figures version moves (an import, a reload), the national view is cut again ahead of
  // its next visitor rather than on its first tile request. From memory where the server listens
  // to the dataset's notifications (dataset-versions.ts), one small read on a replica.
  const rewarm =
    options.prewarm === false
      ? null
      : setInterval(() => {
          void versions
            .of(reader)
            .then((v) => v.figuresVersion > 0 && warm(reader, `f${v.figuresVersion}`))
            .catch(() => undefined);
        }, REWARM_CHECK_MS);
  rewarm?.unref();

  router.get('/:layer.json', async (req, res) => {
    const layer = layerOf(req, res);
    if (!layer) return;
    const year = yearOf(req, res);
    if (year === null) return;
    // Never from the Host header (a client chooses it): the configured public URL, or a path.
    const base = options.publicUrl ?? '';
    res.json({
      tilejson: '3.0.0',
      name: layer.id,
      description: layer.description,
      tiles: [`${base}/tiles/${layer.id}/{z}/{x}/{y}.pbf?year=${year}`],
      minzoom: layer.minzoom,
      maxzoom: layer.maxzoom,
      bounds: [73.4, 3.8, 135.1, 53.6],
      attribution: 'Generated demo data; boundaries derived from AMap content (demo use only)',
      vector_layers: [
        {
          id: layer.id,
          description: layer.description,
          minzoom: layer.minzoom,
          maxzoom: layer.maxzoom,
          fields: layer.fields,
        },
      ],
    });
  });

  router.get('/:layer/:z/:x/:file', async (req, res) => {
    const layer = layerOf(req, res);
    if (!layer) return;
    const match = /^(\d+)\.pbf$/.exec(req.params.file);
    const z = Number(req.params.z);
    const x = Number(req.params.x);
    const y = match ? Number(match[1]) : Number.NaN;
    if (!/^\d+$/.test(req.params.z) || !Number.isInteger(z) || z > MAX_ZOOM)
      return badRequest(res, 'z', `zoom must be 0–${MAX_ZOOM}`);
    const size = 2 ** z;
    if (!/^\d+$/.test(req.params.x) || x >= size)
      return badRequest(res, 'x', `must be 0–${size - 1} at zoom ${z}`);
    if (!match || y >= size) return badRequest(res, 'y', `must be 0–${size - 1} at zoom ${z}, as {y}.pbf`);
    const year = yearOf(req, res);
    if (year === null) return;

    // A read: from the replica when there is one (read-routing.ts); version and tile from the same place.
    const source = await readerFor(database, (name) => req.get(name));
    const current = await versions.of(source);
    const version = versionOf(layer, current);
    if (current.figuresVersion > 0) warm(source, `f${current.figuresVersion}`);
    const etag = `W/"${version}-${layer.id}-${year}-${z}-${x}-${y}"`;
    res.setHeader('etag', etag);
    res.setHeader('cache-control', 'no-cache');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    const tile = await cutTile(source, layer, year, z, x, y, version);
    res.setHeader('content-type', 'application/vnd.mapbox-vector-tile');
    res.send(Buffer.from(tile));
  });

  return {
    router,
    stop: async () => {
      if (rewarm) clearInterval(rewarm);
      lifetime.abort();
    },
  };
}
