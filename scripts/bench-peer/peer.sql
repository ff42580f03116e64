-- What the peer needs beyond the product's own tables, in a schema of its own that the benchmark
-- creates and drops: the radius search as a SQL function, with the same && prefilter on a box a
-- little larger than the circle that the product's query uses (db/src/queries/filters.ts).
CREATE SCHEMA IF NOT EXISTS bench_peer;

CREATE TYPE bench_peer.village_distance AS (code text, name text, distance_meters float8);

CREATE OR REPLACE FUNCTION bench_peer.villages_near(lon float8, lat float8, radius_meters float8)
RETURNS SETOF bench_peer.village_distance
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  WITH p AS (SELECT ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS point,
                    radius_meters / 111320.0 * 1.01 AS d_lat)
  SELECT v.code, v.name, ST_Distance(v.location::geography, p.point::geography)
  FROM villages v, p
  WHERE v.location && ST_MakeEnvelope(lon - p.d_lat / greatest(0.01, cos(radians(least(89, abs(lat))))),
                                      lat - p.d_lat,
                                      lon + p.d_lat / greatest(0.01, cos(radians(least(89, abs(lat))))),
                                      lat + p.d_lat, 4326)
    AND ST_DWithin(v.location::geography, p.point::geography, radius_meters)
  ORDER BY 3, v.code
$$;
