// Which Web Mercator tile (z/x/y, XYZ scheme) holds a longitude/latitude: for tests and benchmarks
// that ask the tile endpoint for the tile of a known place.
export function tileOf(lon: number, lat: number, z: number): [number, number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return [z, x, y];
}
