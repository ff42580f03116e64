// The SchemaBuilder and its types. Defines nothing itself; each domain file adds its types.
import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from './context.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    GeoJSON: { Input: unknown; Output: object };
  };
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    // Connection cursors and global ids are our own, so we keep plain ids and no client mutation ids.
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: { description: 'The items of this page (the same as edges[].node).' },
    edgesFieldOptions: { description: 'The items of this page with their cursors.' },
    pageInfoFieldOptions: {
      description: 'Where this page sits: pass endCursor as `after` for the next page.',
    },
    cursorFieldOptions: { description: 'Opaque cursor of this item; pass as `after` to continue after it.' },
    nodeFieldOptions: { description: 'The item.' },
    pageInfoTypeOptions: { description: 'Paging state of a connection (Relay).' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Always false: lists page forward only.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page; null on an empty page.' },
    firstArgOptions: { description: 'Page size, 0–1,000 (default 100).' },
    afterArgOptions: { description: 'Cursor after which the page starts (endCursor of the previous page).' },
    lastArgOptions: { description: 'Not supported: page forward with first/after.' },
    beforeArgOptions: { description: 'Not supported: page forward with first/after.' },
    nodeTypeOptions: { description: 'An object with a global id, fetchable with node(id).' },
    idFieldOptions: { description: 'Global id.' },
    nodeQueryOptions: { description: 'Any county, village or relocation site by its global id.' },
    nodesQueryOptions: {
      description: 'Several objects by their global ids, in order.',
      // Each id is one lookup: the request pays for as many objects as it names.
      extensions: { size: (args: { ids?: unknown[] }) => args.ids?.length ?? 0 },
    },
  },
});

/** The builder's type parameters, for helpers that take a field builder (`t`) of any type. */
export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

builder.queryType({ description: 'Read access to regions, villages, relocation sites and their figures.' });
