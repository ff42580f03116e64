// Structural validation of GeoJSON input (PostGIS checks validity afterwards). Limits keep one
// request from shipping a million-vertex polygon into a query.
import { badInput } from './errors.ts';

export const MAX_INPUT_VERTICES = 50_000;

/** Checks a Polygon or MultiPolygon in WGS84; returns it unchanged when it is well-formed. */
export function checkPolygonGeoJSON(argument: string, value: unknown): object {
  const g = value as { type?: unknown; coordinates?: unknown };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badInput(argument, 'expected a GeoJSON geometry object');
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    throw badInput(argument, `must be a Polygon or MultiPolygon, got ${JSON.stringify(g.type ?? null)}`);
  }
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
  if (!Array.isArray(polygons) || polygons.length === 0) throw badInput(argument, 'has no coordinates');
  let vertices = 0;
  for (const [p, rings] of polygons.entries()) {
    if (!Array.isArray(rings) || rings.length === 0) throw badInput(argument, `polygon ${p} has no rings`);
    for (const [r, ring] of rings.entries()) {
      const where = `polygon ${p}, ring ${r}`;
      if (!Array.isArray(ring) || ring.length < 4)
        throw badInput(argument, `${where}: a ring needs at least 4 positions`);
      vertices += ring.length;
      if (vertices > MAX_INPUT_VERTICES)
        throw badInput(argument, `more than ${MAX_INPUT_VERTICES} vertices; simplify the polygon first`);
      for (const position of ring) {
        if (
          !Array.isArray(position) ||
          position.length < 2 ||
          !Number.isFinite(position[0]) ||
          !Number.isFinite(position[1])
        ) {
          throw badInput(
            argument,
            `${where}: ${JSON.stringify(position)} is not a [longitude, latitude] position`,
          );
        }
        if (Math.abs(position[0]) > 180 || Math.abs(position[1]) > 90) {
          throw badInput(
            argument,
            `${where}: ${JSON.stringify(position)} is outside longitude ±180 / latitude ±90 (use WGS84)`,
          );
        }
      }
      const [first, last] = [ring[0] as number[], ring[ring.length - 1] as number[]];
      if (first[0] !== last[0] || first[1] !== last[1])
        throw badInput(argument, `${where}: the ring is not closed`);
    }
  }
  return value;
}
