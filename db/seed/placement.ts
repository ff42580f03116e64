// Places villages and relocation sites inside their county's stored boundary: township centres
// first, villages scattered around them, so a township's villages sit together as they do on the
// ground. Deterministic, in plain JavaScript, so both database backends get the same points.
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon } from 'geojson';
import { entityRandom, type Random } from './random.ts';

export type LonLat = [number, number];

export class CountyArea {
  private readonly bbox: [number, number, number, number];
  private readonly townships = new Map<string, LonLat>();
  readonly spread: number;

  constructor(
    private readonly seed: number,
    readonly code: string,
    private readonly geometry: MultiPolygon,
    private readonly fallback: LonLat,
    townshipCount: number,
  ) {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const polygon of geometry.coordinates) {
      for (const [x, y] of polygon[0]!) {
        minX = Math.min(minX, x!);
        minY = Math.min(minY, y!);
        maxX = Math.max(maxX, x!);
        maxY = Math.max(maxY, y!);
      }
    }
    this.bbox = [minX, minY, maxX, maxY];
    // A township covers about 1/n of the county; its villages fall within ~a third of that width.
    this.spread = Math.sqrt(((maxX - minX) * (maxY - minY)) / Math.max(1, townshipCount)) * 0.3;
  }

  contains(p: LonLat): boolean {
    return booleanPointInPolygon(p, this.geometry);
  }

  /** A uniformly random point inside the county (rejection sampling in its bounding box). */
  randomPoint(r: Random): LonLat {
    const [minX, minY, maxX, maxY] = this.bbox;
    for (let i = 0; i < 500; i++) {
      const p: LonLat = [r.between(minX, maxX), r.between(minY, maxY)];
      if (this.contains(p)) return p;
    }
    return this.fallback;
  }

  townshipCentre(townshipCode: string): LonLat {
    let centre = this.townships.get(townshipCode);
    if (!centre) {
      centre = this.randomPoint(entityRandom(this.seed, 'township', townshipCode));
      this.townships.set(townshipCode, centre);
    }
    return centre;
  }

  /** A point near the township centre and inside the county. */
  pointNear(townshipCode: string, r: Random, spreadFactor = 1): LonLat {
    const [cx, cy] = this.townshipCentre(townshipCode);
    for (let i = 0; i < 40; i++) {
      const p: LonLat = [
        cx + r.normal() * this.spread * spreadFactor,
        cy + r.normal() * this.spread * spreadFactor,
      ];
      if (this.contains(p)) return p;
    }
    return this.randomPoint(r);
  }
}
