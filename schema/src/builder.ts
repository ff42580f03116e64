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
    nodesOnConnection: true,
  },
});

builder.queryType({ description: 'Read access to regions, villages, relocation sites and their figures.' });
