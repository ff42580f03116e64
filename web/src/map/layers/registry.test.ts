import { describe, expect, it } from 'vitest';
import {
  OVERLAY_KEYS,
  OVERLAYS,
  overlayLayers,
  overlaySources,
  PER_YEAR_SOURCES,
  TOOLTIP_LAYERS,
} from './registry.ts';

describe('the overlay registry', () => {
  it('keeps the URL keys of existing links, in the panel order', () => {
    expect(OVERLAY_KEYS).toEqual(['villages', 'sites', 'supervision', 'keyAssistance']);
  });

  it('draws every overlay layer once, hidden, in the order the base style drew them', () => {
    const layers = overlayLayers();
    expect(layers.map((l) => l.id)).toEqual([
      'key-assistance-line',
      'supervision-county',
      'village-clusters',
      'village-points',
      'supervision-village',
      'site-circles',
    ]);
    for (const layer of layers) expect(layer.layout).toMatchObject({ visibility: 'none' });
    // The base map's own layers go among them at their order, as they are (visible).
    const between = overlayLayers([
      { order: 3.5, spec: { id: 'county-village-points', type: 'circle', source: 'x' } },
    ]);
    expect(between.map((l) => l.id).indexOf('county-village-points')).toBe(4);
    expect(between[4]!.layout).toBeUndefined();
  });

  it('adds the tile sources the layers read, the per-year ones cut for the year', () => {
    const sources = overlaySources('http://x', 2019);
    expect(Object.keys(sources).sort()).toEqual([
      'relocation-sites',
      'supervision-counties',
      'supervision-villages',
      'village-clusters',
      'villages',
    ]);
    expect(sources.villages).toMatchObject({
      type: 'vector',
      tiles: ['http://x/tiles/villages/{z}/{x}/{y}.pbf?year=2019'],
      minzoom: 5,
      maxzoom: 14,
    });
    expect(sources['supervision-counties']).toMatchObject({
      tiles: ['http://x/tiles/supervision-counties/{z}/{x}/{y}.pbf'],
    });
    expect([...PER_YEAR_SOURCES].sort()).toEqual(['relocation-sites', 'village-clusters', 'villages']);
    for (const layer of overlayLayers())
      if ('source' in layer && layer.source !== 'counties') expect(sources).toHaveProperty(layer.source);
  });

  it('gives every overlay a label and a key in both languages, and tooltips only on its own layers', () => {
    for (const overlay of OVERLAYS) {
      expect(overlay.label.zh && overlay.label.en).toBeTruthy();
      for (const lang of ['zh', 'en'] as const) {
        const key = overlay.legend(lang, null);
        expect(key.rows.length).toBeGreaterThan(0);
        for (const row of key.rows) expect(row.colour).toMatch(/^#[0-9a-f]{6}$/);
      }
      const own = overlay.layers.map((l) => l.spec.id);
      for (const layer of overlay.tooltip?.layers ?? []) expect(own).toContain(layer);
    }
    expect([...TOOLTIP_LAYERS].sort()).toEqual([
      'site-circles',
      'supervision-village',
      'village-clusters',
      'village-points',
    ]);
  });

  it('keys the villages under and over the monitoring line when one is set', () => {
    const villages = OVERLAYS.find((o) => o.key === 'villages')!;
    expect(villages.legend('en', 5000).rows.map((r) => r.label)).toEqual([
      '< 5000 yuan',
      '≥ 5000 yuan',
      'villages per county',
    ]);
    expect(villages.legend('zh', null).rows.map((r) => r.label)).toEqual([
      '0–6k',
      '6–9k',
      '9–12k',
      '12–15k',
      '≥15k',
      '各县村数',
    ]);
  });
});
