// Relocation sites: circles whose area shows the people relocated there, coloured by the employment
// coverage of labour households. Nearly all sites are at or near 100 %, so the classes single out the
// ones that are not: under 95 % red, under 100 % amber. A click opens the site's panel (map-view).
import { formatValue, t } from '../../../i18n.ts';
import { escapeHtml, type Overlay } from '../overlay.ts';

const SITE_COVERAGE = [
  { from: 0, colour: '#d64545' },
  { from: 0.95, colour: '#f0b429' },
  { from: 1, colour: '#1f6fb2' },
] as const;
const NO_COVERAGE = '#9aa5b1';
/** The layer a click on a site is looked up in. */
export const SITE_LAYER = 'site-circles';

export const sites: Overlay<'sites'> = {
  key: 'sites',
  label: { zh: '安置点', en: 'Relocation sites' },
  sources: { 'relocation-sites': { minzoom: 5, maxzoom: 14, perYear: true } },
  layers: [
    {
      order: 5,
      spec: {
        id: SITE_LAYER,
        type: 'circle',
        source: 'relocation-sites',
        'source-layer': 'relocation-sites',
        paint: {
          // Area proportional to people: the radius grows with the square root.
          'circle-radius': [
            'interpolate',
            ['linear'],
            ['zoom'],
            3,
            ['max', 1.2, ['*', 0.025, ['sqrt', ['coalesce', ['get', 'people'], 0]]]],
            8,
            ['max', 2, ['*', 0.1, ['sqrt', ['coalesce', ['get', 'people'], 0]]]],
            12,
            ['max', 4, ['*', 0.3, ['sqrt', ['coalesce', ['get', 'people'], 0]]]],
          ],
          'circle-color': [
            'step',
            ['coalesce', ['get', 'coverage'], -1],
            NO_COVERAGE,
            0,
            SITE_COVERAGE[0].colour,
            SITE_COVERAGE[1].from,
            SITE_COVERAGE[1].colour,
            SITE_COVERAGE[2].from,
            SITE_COVERAGE[2].colour,
          ],
          'circle-opacity': 0.85,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 0.6,
        },
      },
    },
  ],
  legend: (lang) => ({
    shape: 'dot',
    rows: [
      { colour: SITE_COVERAGE[0].colour, label: `${t('coverage', lang)} < 95%` },
      { colour: SITE_COVERAGE[1].colour, label: '95–99.9%' },
      { colour: SITE_COVERAGE[2].colour, label: '100%' },
    ],
    note: { zh: '放大到5级以上显示；圆面积表示人数', en: 'from zoom 5; circle area shows people' }[lang],
  }),
  tooltip: {
    layers: [SITE_LAYER],
    html: (feature, l) => {
      const p = feature.properties;
      return [
        `<strong>${escapeHtml(String(p.name))}</strong>`,
        `${t('sites', l)} · ${formatValue(p.people, l)} ${t('people', l)}`,
        `${t('coverage', l)} ${formatValue(p.coverage, l, { ratio: true })}`,
      ].join('<br>');
    },
  },
};
