// A top-level list as a Relay connection: the filter and orderBy arguments, one page through
// resolveList, and a totalCount that counts every row the page's filter matches. Counties, villages,
// relocation sites and problems are all this shape; only their names, inputs and queries differ.
import type { InputObjectRef, ObjectRef } from '@pothos/core';
import type { Executor, ListRow } from '@rrm/db';
import type { Types } from './builder.ts';
import type { Context } from './context.ts';
import { queryCost, SCAN_COST } from './cost.ts';
import { type ListSource, type OrderArgs, resolveList } from './list-args.ts';

export interface ListConnectionOptions<Row extends ListRow, FilterInput, Filter, Order extends OrderArgs> {
  /** The GraphQL name of the item type: the connection is `${name}Connection`, its edge `${name}Edge`. */
  name: string;
  type: ObjectRef<Types, Row>;
  description: string;
  filter: InputObjectRef<Types, FilterInput>;
  orderBy: InputObjectRef<Types, Order>;
  orderByDescription: string;
  /**
   * Checks the viewer, and that the data is there, before anything is read (e.g. a login for the
   * problem ledger, households that are still loading).
   */
  authorize?: (
    ctx: Context,
    filter: FilterInput | null | undefined,
    orderBy: Order | null | undefined,
  ) => unknown;
  list: ListSource<Row, FilterInput, Filter, Order>;
  /** What the page's own query costs beyond its rows (a list whose every read also writes, say). */
  queryCost?: number;
  /** Runs after a page is read, before it is answered (e.g. the audit entry of a read of households). */
  afterPage?: (ctx: Context, rows: readonly Row[], filter: Filter) => Promise<void>;
  count: (db: Executor, filter: Filter) => Promise<number>;
  connectionDescription: string;
  totalCountDescription: string;
  edgeDescription: string;
}

export function listConnection<Row extends ListRow, FilterInput, Filter, Order extends OrderArgs>(
  t: PothosSchemaTypes.QueryFieldBuilder<Types, Types['Root']>,
  options: ListConnectionOptions<Row, FilterInput, Filter, Order>,
) {
  return t.connection(
    {
      type: options.type,
      description: options.description,
      ...(options.queryCost ? queryCost(options.queryCost) : {}),
      args: {
        filter: t.arg({ type: options.filter, required: false }),
        orderBy: t.arg({ type: options.orderBy, required: false, description: options.orderByDescription }),
      },
      resolve: async (_root, args, ctx) => {
        const { filter, orderBy } = args as { filter?: FilterInput | null; orderBy?: Order | null };
        await options.authorize?.(ctx, filter, orderBy);
        const connection = await resolveList(ctx, args, options.list);
        await options.afterPage?.(
          ctx,
          connection.edges.map((e) => e.node),
          connection.filter,
        );
        return connection;
      },
    },
    {
      name: `${options.name}Connection`,
      description: options.connectionDescription,
      fields: (c) => ({
        totalCount: c.int({
          // A count over every matching row, one query per occurrence.
          ...queryCost(SCAN_COST),
          description: options.totalCountDescription,
          resolve: (connection, _args, ctx) => options.count(ctx.database.db, connection.filter),
        }),
      }),
    },
    { name: `${options.name}Edge`, description: options.edgeDescription },
  );
}
