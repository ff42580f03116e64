// The API's documents are typed by gql.tada: `graphql(text)` infers each document's result and
// variables in the TypeScript type system from the printed schema (schema/schema.graphql, read through
// graphql-env.d.ts, which `pnpm web:types` regenerates and CI checks like the printed schema).
// Chosen over graphql-codegen: nothing is generated per query (the types follow the text as written,
// offline, with no codegen step before a build or a typecheck) and it adds four packages rather than
// codegen's hundreds; the run-time cost is @0no-co/graphql.web's parse and print, a few kB.
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

/** A GeoJSON point; the dashboard asks the schema's GeoJSON scalar only for points (labels, sites). */
export type Point = { type: 'Point'; coordinates: [number, number] };

// Fragments are spread into their query's result (no masking): components read plain objects.
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { GeoJSON: Point };
  disableMasking: true;
}>();
export type { ResultOf, VariablesOf } from 'gql.tada';
