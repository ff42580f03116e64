// The 挂牌督战 status of a listed place as the map colours and names it: overdue problems outrank the
// listing status. The supervision overlay draws it; a village's tooltip names it.
import type { ExpressionSpecification } from 'maplibre-gl';

export const STATUS = {
  overdue: { colour: '#d64545', label: { zh: '有逾期问题', en: 'Overdue problems' } },
  supervising: { colour: '#f08c00', label: { zh: '督战中', en: 'Under supervision' } },
  lifted: { colour: '#2680c2', label: { zh: '已摘帽/出列', en: 'Lifted' } },
  closed: { colour: '#3f9142', label: { zh: '已销号', en: 'Closed' } },
} as const;

/** The listing status of a tile feature's `listing` property (supervising unless lifted or closed). */
export function listingStatus(listing: unknown): 'supervising' | 'lifted' | 'closed' {
  return listing === 'lifted' || listing === 'closed' ? listing : 'supervising';
}

/** The colour of a tile feature. */
export const STATUS_COLOUR: ExpressionSpecification = [
  'case',
  ['>', ['coalesce', ['get', 'overdue_problems'], 0], 0],
  STATUS.overdue.colour,
  [
    'match',
    ['get', 'listing'],
    'lifted',
    STATUS.lifted.colour,
    'closed',
    STATUS.closed.colour,
    STATUS.supervising.colour,
  ],
];
