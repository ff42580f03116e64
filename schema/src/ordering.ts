// The orderBy input of a list: which field, which direction, and for INDICATOR which one and when.
import { builder } from './builder.ts';
import { IndicatorEnum, SortDirectionEnum } from './inputs.ts';

export function orderInput(list: string, noun: string, keyField: 'CODE' | 'ID', keyDescription: string) {
  const field = builder.enumType(`${list}OrderField`, {
    description: `What to order ${noun} by.`,
    values: {
      [keyField]: { description: `${keyDescription} (default).` },
      NAME: { description: 'Name.' },
      INDICATOR: { description: 'An indicator in a year (give indicator and year).' },
      DISTANCE: { description: 'Distance from filter.spatial.near.' },
    } as Record<'CODE' | 'ID' | 'NAME' | 'INDICATOR' | 'DISTANCE', { description: string }>,
  });
  return builder.inputType(`${list}Order`, {
    description: `Ordering of ${noun}.`,
    fields: (t) => ({
      field: t.field({ type: field, required: true, description: 'What to order by.' }),
      direction: t.field({ type: SortDirectionEnum, required: false, description: 'ASC (default) or DESC.' }),
      indicator: t.field({ type: IndicatorEnum, required: false, description: 'For INDICATOR: which one.' }),
      year: t.int({ required: false, description: 'For INDICATOR: which year.' }),
    }),
  });
}
