// GET /tiles/{layer}.json            TileJSON 3.0 for a layer
// GET /tiles/{layer}/{z}/{x}/{y}.pbf Mapbox Vector Tile, ?year=2014–2025 (default 2021)
// Every tile carries an ETag from the data version, and is revalidated on every use (no-cache), so
// a change to the data shows on the next tile request; an unchanged tile costs a 304.
import { type Database, findDataset } from '@rrm/db';
import type { Request, Response, Router } from 'express';
import express from 'express';
import { readerFor } from '../read-routing.ts';
import { cutTile } from './cut.ts';
import { TILE_LAYERS } from './layers.ts';

const MAX_ZOOM = 16;

function badRequest(res: Response, argument: string, message: string) {
  res.status(400).json({
    errors: [{ message: `${argument}: ${message}`, extensions: { code: 'BAD_USER_INPUT', argument } }],
  });
}

function parseYear(req: Request): number | null {
  const year = req.query.year == null ? 2021 : Number(req.query.year);
  return Number.isInteger(year) && year >= 2014 && year <= 2025 ? year : null;
}

export function tilesRouter(database: Database): Router {
  const router = express.Router();

  router.get('/:layer.json', async (req, res) => {
    const layer = TILE_LAYERS[req.params.layer];
    if (!layer)
      return badRequest(
        res,
        'layer',
        `unknown layer "${req.params.layer}": use ${Object.keys(TILE_LAYERS).join(', ')}`,
      );
    const year = parseYear(req);
    if (year === null) return badRequest(res, 'year', 'must be 2014–2025');
    const base = `${req.protocol}://${req.get('host')}`;
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
    const layer = TILE_LAYERS[req.params.layer];
    if (!layer)
      return badRequest(
        res,
        'layer',
        `unknown layer "${req.params.layer}": use ${Object.keys(TILE_LAYERS).join(', ')}`,
      );
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
    const year = parseYear(req);
    if (year === null) return badRequest(res, 'year', 'must be 2014–2025');

    // A read: from the replica when there is one (read-routing.ts); version and tile from the same place.
    const source = await readerFor(database, (name) => req.get(name));
    const dataVersion = (await findDataset(source.db))?.dataVersion ?? 0;
    // "Overdue" turns true at midnight without a write: the day is part of the tile's identity.
    const today = new Date().toISOString().slice(0, 10);
    const etag = `W/"${dataVersion}-${layer.id}-${year}-${z}-${x}-${y}-${today}"`;
    res.setHeader('etag', etag);
    res.setHeader('cache-control', 'no-cache');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    const tile = await cutTile(source, layer, year, z, x, y, `${dataVersion}-${today}`);
    res.setHeader('content-type', 'application/vnd.mapbox-vector-tile');
    res.send(Buffer.from(tile));
  });

  return router;
}
