// 挂牌督战: the listed counties outlined and the listed villages as points, coloured by worst status
// (overdue problems first, then the listing status), from light tiles re-cut on every supervision
// write. The supervision page's map shows it alone.
import { TEXT } from '../../../i18n.ts';
import type { Overlay } from '../overlay.ts';
import { villageTooltip } from '../villages/index.ts';
import { STATUS, STATUS_COLOUR } from './status.ts';

export const supervision: Overlay<'supervision'> = {
  key: 'supervision',
  label: TEXT.supervision,
  sources: {
    'supervision-counties': { minzoom: 0, maxzoom: 12 },
    'supervision-villages': { minzoom: 3, maxzoom: 14 },
  },
  layers: [
    {
      order: 2,
      spec: {
        id: 'supervision-county',
        type: 'line',
        source: 'supervision-counties',
        'source-layer': 'supervision-counties',
        filter: ['has', 'listing'],
        paint: {
          'line-color': STATUS_COLOUR,
          'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1.5, 8, 3.5],
        },
      },
    },
    {
      order: 4,
      spec: {
        id: 'supervision-village',
        type: 'circle',
        source: 'supervision-villages',
        'source-layer': 'supervision-villages',
        filter: ['has', 'listing'],
        paint: {
          'circle-color': STATUS_COLOUR,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 5, 2.5, 10, 5],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 0.8,
        },
      },
    },
  ],
  legend: (lang) => ({
    shape: 'bar',
    rows: Object.values(STATUS).map((s) => ({ colour: s.colour, label: s.label[lang] })),
  }),
  tooltip: { layers: ['supervision-village'], html: villageTooltip },
};
