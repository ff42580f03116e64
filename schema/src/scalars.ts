import { builder } from './builder.ts';
import { badInput } from './errors.ts';

const GEOMETRY_TYPES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);

builder.scalarType('GeoJSON', {
  description: 'A GeoJSON geometry (RFC 7946), WGS84 longitude/latitude unless a field says otherwise.',
  serialize: (value) => value as object,
  parseValue: (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw badInput('GeoJSON', 'expected a GeoJSON geometry object');
    }
    const type = (value as { type?: unknown }).type;
    if (typeof type !== 'string' || !GEOMETRY_TYPES.has(type)) {
      throw badInput('GeoJSON', `unknown geometry type ${JSON.stringify(type)}`);
    }
    return value;
  },
});
