// What every list resolver does with its arguments: validate the shared filter parts, build the
// ordering signature that cursors are tied to, and turn data-layer RangeErrors into input errors.
import {
  type Executor,
  type KeysetPosition,
  ListArgumentError,
  type ListRow,
  type PageResult,
} from '@rrm/db';
import type { Context } from './context.ts';
import { badInput } from './errors.ts';
import {
  checkIndicatorRange,
  checkSearch,
  checkSpatial,
  checkYear,
  type IndicatorRangeInputShape,
  regionCodePrefix,
  type SpatialInput,
} from './inputs.ts';
import { type ConnectionArgs, decodeCursor, pageSize, toConnection } from './pagination.ts';

export interface OrderArgs {
  field: string;
  direction?: 'ASC' | 'DESC' | null;
  indicator?: string | null;
  year?: number | null;
}

/** A stable string naming an ordering; cursors carry it so they cannot be reused across orderings. */
export function orderingSignature(order: OrderArgs | null | undefined, fallback: string): string {
  if (!order) return `${fallback}:ASC`;
  if (order.year != null) checkYear('orderBy.year', order.year);
  return [order.field, order.direction ?? 'ASC', order.indicator ?? '', order.year ?? ''].join(':');
}

/** Validates the filter fields every list shares; the rest passes through unchanged. */
export async function commonFilter<
  F extends {
    regionCode?: string | null;
    search?: string | null;
    spatial?: SpatialInput | null;
    indicator?: IndicatorRangeInputShape | null;
  },
>(ctx: Context, filter: F | null | undefined, regionCodeLengths?: number[]) {
  return {
    ...filter,
    regionCode: regionCodePrefix('filter.regionCode', filter?.regionCode, regionCodeLengths),
    search: checkSearch('filter.search', filter?.search),
    spatial: await checkSpatial('filter.spatial', filter?.spatial, ctx.database),
    indicator: checkIndicatorRange('filter.indicator', filter?.indicator),
  };
}

/** Runs a data-layer call, answering its RangeErrors (impossible combinations) as input errors. */
export async function asInputError<T>(argument: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ListArgumentError) throw badInput(error.argument, error.message);
    if (error instanceof RangeError) throw badInput(argument, error.message);
    throw error;
  }
}

/** Where a top-level list's rows come from, and how its filter argument is checked. */
export interface ListSource<Row extends ListRow, FilterInput, Filter, Order extends OrderArgs> {
  /** The list's name inside its cursors. */
  cursor: string;
  defaultOrder: string;
  checkFilter: (ctx: Context, filter: FilterInput | null | undefined) => Filter | Promise<Filter>;
  find: (
    db: Executor,
    filter: Filter,
    page: { first: number; after?: KeysetPosition | null },
    order?: Order,
  ) => Promise<PageResult<Row>>;
}

/**
 * What every top-level list resolver does: validate the page, filter and ordering, fetch one page,
 * and return it as a connection that remembers its filter (for totalCount).
 */
export async function resolveList<Row extends ListRow, FilterInput, Filter, Order extends OrderArgs>(
  ctx: Context,
  args: ConnectionArgs & { filter?: FilterInput | null; orderBy?: Order | null },
  list: ListSource<Row, FilterInput, Filter, Order>,
) {
  const first = pageSize(args);
  const filter = await list.checkFilter(ctx, args.filter);
  const signature = orderingSignature(args.orderBy, list.defaultOrder);
  const page = await asInputError('orderBy', () =>
    list.find(
      ctx.database.db,
      filter,
      { first, after: decodeCursor(list.cursor, signature, args.after) },
      args.orderBy ?? undefined,
    ),
  );
  return { ...toConnection(list.cursor, signature, page.rows, page.hasNextPage), filter };
}
