// GCJ-02 ("Mars coordinates") is the obfuscated datum that AMap, Tencent and other Chinese map
// services publish in. The geography sources are AMap content, so every vertex is shifted by up to
// ~500 m from true WGS84. We store WGS84 and offer GCJ-02 only as an output option.
//
// The forward transform is the widely published one (no official spec exists); the inverse has no
// closed form, so we invert it by fixed-point iteration, which converges to < 1e-7° in 3 steps.

const SEMI_MAJOR_AXIS = 6378245.0; // Krasovsky 1940, as the transform defines it
const ECCENTRICITY_SQUARED = 0.006693421622965943;

function transformLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function transformLon(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return ret;
}

/** The offset GCJ-02 adds to a WGS84 point. */
function gcjOffset(lon: number, lat: number): [number, number] {
  const dLat0 = transformLat(lon - 105.0, lat - 35.0);
  const dLon0 = transformLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - ECCENTRICITY_SQUARED * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLat =
    (dLat0 * 180.0) / (((SEMI_MAJOR_AXIS * (1 - ECCENTRICITY_SQUARED)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (dLon0 * 180.0) / ((SEMI_MAJOR_AXIS / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [dLon, dLat];
}

/** WGS84 → GCJ-02 (for users overlaying AMap or Tencent base maps). */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  const [dLon, dLat] = gcjOffset(lon, lat);
  return [lon + dLon, lat + dLat];
}

/** GCJ-02 → WGS84, by iterating the forward transform. */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  let wgsLon = lon;
  let wgsLat = lat;
  for (let i = 0; i < 4; i++) {
    const [gLon, gLat] = wgs84ToGcj02(wgsLon, wgsLat);
    wgsLon -= gLon - lon;
    wgsLat -= gLat - lat;
  }
  return [wgsLon, wgsLat];
}

type Coordinates = number[] | Coordinates[];

/** Converts every position of a GeoJSON geometry from WGS84 to GCJ-02 (a copy; the input is kept). */
export function geometryToGcj02<G extends { type: string }>(geometry: G): G {
  const convert = (c: Coordinates): Coordinates =>
    typeof c[0] === 'number'
      ? [...wgs84ToGcj02(c[0] as number, c[1] as number), ...(c as number[]).slice(2)]
      : (c as Coordinates[]).map(convert);
  const g = geometry as unknown as {
    type: string;
    coordinates?: Coordinates;
    geometries?: { type: string }[];
  };
  if (g.geometries) return { ...g, geometries: g.geometries.map(geometryToGcj02) } as unknown as G;
  return { ...g, coordinates: convert(g.coordinates ?? []) } as unknown as G;
}
