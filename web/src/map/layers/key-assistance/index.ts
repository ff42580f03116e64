// 国家乡村振兴重点帮扶县: a dashed outline of the key assistance counties, from the county tiles of the
// base map (their key_assistance property).
import { t } from '../../../i18n.ts';
import type { Overlay } from '../overlay.ts';

const OUTLINE = '#1f2933';

export const keyAssistance: Overlay<'keyAssistance'> = {
  key: 'keyAssistance',
  label: { zh: '重点帮扶县', en: 'Key assistance counties' },
  layers: [
    {
      order: 1,
      spec: {
        id: 'key-assistance-line',
        type: 'line',
        // The base style's county source (style.ts).
        source: 'counties',
        'source-layer': 'counties',
        filter: ['==', ['get', 'key_assistance'], true],
        paint: {
          'line-color': OUTLINE,
          'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1.2, 8, 2.5],
          'line-dasharray': [2, 1],
        },
      },
    },
  ],
  legend: (lang) => ({ shape: 'bar', rows: [{ colour: OUTLINE, label: t('keyAssistanceCounty', lang) }] }),
};
