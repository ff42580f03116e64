// Villages: below zoom 5, clusters per county (a circle at its label point whose area is its number of
// monitored villages), so a national or provincial map shows where they are; from zoom 5 the
// points, coloured by income class, or under/over the monitoring line when one is set, and
// from zoom 9 by kind (poverty village or other). Listed villages' 挂牌督战 status is drawn on top by
// the supervision overlay, from its own tiles.
import type { ExpressionSpecification } from 'maplibre-gl';
import { formatValue, type Lang, t } from '../../../i18n.ts';
import { OVER_LINE, UNDER_LINE } from '../../palette.ts';
import { escapeHtml, type Overlay } from '../overlay.ts';
import { listingStatus, STATUS } from '../supervision/status.ts';

/** Village income classes (yuan): pinks to purple, apart from the choropleth's hues. */
export const VILLAGE_INCOME_CLASSES = [
  { from: 0, colour: '#fcc5c0' },
  { from: 6_000, colour: '#fa9fb5' },
  { from: 9_000, colour: '#dd3497' },
  { from: 12_000, colour: '#ae017e' },
  { from: 15_000, colour: '#49006a' },
] as const;
const POVERTY_VILLAGE = '#e8a33d';
const OTHER_VILLAGE = '#7b8794';

export function villageColour(line: number | null): ExpressionSpecification {
  if (line != null) return ['case', ['<', ['coalesce', ['get', 'income'], 0], line], UNDER_LINE, OVER_LINE];
  const income: ExpressionSpecification = [
    'step',
    ['coalesce', ['get', 'income'], 0],
    VILLAGE_INCOME_CLASSES[0].colour,
  ];
  for (const c of VILLAGE_INCOME_CLASSES.slice(1)) income.push(c.from, c.colour);
  const kind: ExpressionSpecification = [
    'case',
    ['==', ['get', 'poverty'], true],
    POVERTY_VILLAGE,
    OTHER_VILLAGE,
  ];
  return ['step', ['zoom'], income, 9, kind];
}

/** Where the clusters give way to the points (the village tiles start there). */
const POINTS_FROM_ZOOM = 5;
const CLUSTER_COLOUR = '#7b4fa0';

/** The key of the clusters drawn below zoom 5, whatever colours the points. */
const clusterKey = (lang: Lang) => ({
  colour: CLUSTER_COLOUR,
  label: { zh: '各县村数', en: 'villages per county' }[lang],
});

/** A county's cluster under the pointer: its monitored and poverty villages. */
function clusterTooltip(feature: { properties: Record<string, unknown> }, l: Lang): string {
  const p = feature.properties;
  return [
    `<strong>${escapeHtml(String(p.name))}</strong>`,
    `${t('monitoredVillages', l)} ${formatValue(Number(p.villages), l)} · ${t('povertyVillage', l)} ${formatValue(Number(p.poverty_villages), l)}`,
  ].join('<br>');
}

/** A village under the pointer: its income, and its 挂牌督战 status when listed (supervision tiles). */
export function villageTooltip(feature: { properties: Record<string, unknown> }, l: Lang): string {
  const p = feature.properties;
  const lines = [`<strong>${escapeHtml(String(p.name))}</strong>`];
  lines.push(`${t('incomeClasses', l)} ${formatValue(p.income as number, l)}`);
  if (p.listing) {
    lines.push(`${t('supervision', l)} · ${STATUS[listingStatus(p.listing)].label[l]}`);
    lines.push(
      `${t('openProblems', l)} ${p.open_problems ?? 0} · ${t('overdueProblems', l)} ${p.overdue_problems ?? 0}`,
    );
  } else if (p.poverty) lines.push(t('povertyVillage', l));
  return lines.join('<br>');
}

export const villages: Overlay<'villages'> = {
  key: 'villages',
  label: { zh: '监测村', en: 'Villages' },
  sources: {
    villages: { minzoom: POINTS_FROM_ZOOM, maxzoom: 14, perYear: true },
    // Drawn below zoom 5, so from tiles of zoom 4 at most (overzoomed above it).
    'village-clusters': { minzoom: 0, maxzoom: 4, perYear: true },
  },
  layers: [
    {
      order: 3,
      spec: {
        id: 'village-clusters',
        type: 'circle',
        source: 'village-clusters',
        'source-layer': 'village-clusters',
        maxzoom: POINTS_FROM_ZOOM,
        paint: {
          // Area proportional to the villages: the radius grows with the square root.
          'circle-radius': [
            'interpolate',
            ['linear'],
            ['zoom'],
            3,
            ['*', 0.18, ['sqrt', ['get', 'villages']]],
            5,
            ['*', 0.45, ['sqrt', ['get', 'villages']]],
          ],
          'circle-color': CLUSTER_COLOUR,
          'circle-opacity': 0.55,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 0.5,
        },
      },
    },
    {
      order: 3,
      spec: {
        id: 'village-points',
        type: 'circle',
        source: 'villages',
        'source-layer': 'villages',
        paint: {
          'circle-color': villageColour(null),
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 5, 1.2, 9, 3, 12, 5],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': ['step', ['zoom'], 0, 9, 0.6],
        },
      },
    },
  ],
  legend: (lang, line) =>
    line != null
      ? {
          shape: 'dot',
          rows: [
            { colour: UNDER_LINE, label: `< ${line} ${t('yuan', lang)}` },
            { colour: OVER_LINE, label: `≥ ${line} ${t('yuan', lang)}` },
            clusterKey(lang),
          ],
        }
      : {
          shape: 'dot',
          rows: [
            ...VILLAGE_INCOME_CLASSES.map((c, i) => {
              const next = VILLAGE_INCOME_CLASSES[i + 1];
              return {
                colour: c.colour,
                label: next ? `${c.from / 1000}–${next.from / 1000}k` : `≥${c.from / 1000}k`,
              };
            }),
            clusterKey(lang),
          ],
          note: {
            zh: '5级以下按县聚合(圆面积为村数)，9级起显示村状态',
            en: 'below zoom 5 per county (circle area = villages); zoom 9+ shows village status',
          }[lang],
        },
  tooltip: {
    layers: ['village-points', 'village-clusters'],
    html: (feature, l) =>
      feature.layer.id === 'village-clusters' ? clusterTooltip(feature, l) : villageTooltip(feature, l),
  },
  onLine: (map, line) => map.setPaintProperty('village-points', 'circle-color', villageColour(line)),
};
