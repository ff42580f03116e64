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
import { checkIndicatorRange, checkSearch, checkSpatial, checkYear, regionCodePrefix } from './inputs.ts';
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
  F extends { regionCode?: string | null; search?: string | null; spatial?: unknown; indicator?: unknown },
>(ctx: Context, filter: F | null | undefined, regionCodeLengths?: number[]) {
  return {
    ...filter,
    regionCode: regionCodePrefix('filter.regionCode', filter?.regionCode, regionCodeLengths),
    search: checkSearch('filter.search', filter?.search),
    spatial: await checkSpatial('filter.spatial', filter?.spatial as never, ctx.database),
    indicator: checkIndicatorRange('filter.indicator', filter?.indicator as never),
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

/**
 * What every top-level list resolver does: validate the page, filter and ordering, fetch one page,
 * and return it as a connection that remembers its filter (for totalCount).
 */
export async function resolveList<
  T extends ListRow,
  F extends { regionCode?: string | null; search?: string | null },
>(
  ctx: Context,
  args: ConnectionArgs & { filter?: F | null; orderBy?: OrderArgs | null },
  list: {
    cursor: string;
    defaultOrder: string;
    regionCodeLengths?: number[];
    find: (
      db: Executor,
      filter: never,
      page: { first: number; after?: KeysetPosition | null },
      order?: never,
    ) => Promise<PageResult<T>>;
  },
) {
  const first = pageSize(args);
  const filter = await commonFilter(ctx, args.filter, list.regionCodeLengths);
  const signature = orderingSignature(args.orderBy, list.defaultOrder);
  const page = await asInputError('orderBy', () =>
    list.find(
      ctx.database.db,
      filter as never,
      { first, after: decodeCursor(list.cursor, signature, args.after) },
      (args.orderBy ?? undefined) as never,
    ),
  );
  return { ...toConnection(list.cursor, signature, page.rows, page.hasNextPage), filter };
}
