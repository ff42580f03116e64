// Query limits, in three layers, each refusing before the next can take long:
//   1. parsing stops after MAX_TOKENS tokens (graphql-js `maxTokens`);
//   2. validation first counts selections with every fragment expanded (Apollo's
//      `maxRecursiveSelections`, linear in the document) and refuses past MAX_RECURSIVE_SELECTIONS,
//      before the other validation rules walk the document;
//   3. once the operation and its coerced variables are known, the cost model (schema/src/cost.ts)
//      measures depth, cost (nested lists multiply by their real sizes), polygon vertices over the
//      whole request, and fields allowed once per request (login) — all before anything runs.
import type { ApolloServerPlugin } from '@apollo/server';
import { countDataSizes, type Database } from '@rrm/db';
import { COUNTRY_SIZES, type DataSizes, MAX_INPUT_VERTICES, measureOperation } from '@rrm/schema';
import { GraphQLError, getVariableValues, Kind, visit } from 'graphql';

export const MAX_TOKENS = 5_000;
export const MAX_RECURSIVE_SELECTIONS = 10_000;
export const MAX_DEPTH = 12;
export const MAX_COST = 50_000;
/** Polygon vertices one request may send to PostGIS, summed over every use of every polygon. */
export const MAX_REQUEST_VERTICES = MAX_INPUT_VERTICES;

export interface Limits {
  maxDepth: number;
  maxCost: number;
  maxVertices: number;
}

const refuse = (message: string, code: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400 } } });

/**
 * The data's sizes for the cost model, read at start and again at most every `everyMs` (a minute; in the
 * background, on the next request after that): a freshly imported province is costed as it is.
 */
export function dataSizes(database: Database, everyMs = 60_000) {
  let sizes: DataSizes = COUNTRY_SIZES;
  let readAt = 0;
  let reading: Promise<void> | null = null;
  const read = () => {
    reading ??= countDataSizes(database.db)
      .then((counted) => {
        sizes = counted;
        readAt = Date.now();
      })
      .catch(() => {
        // The database is away: keep the last sizes; the request itself will say so.
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  };
  return {
    /** The first read, awaited at start. */
    ready: () => read(),
    current(): DataSizes {
      if (Date.now() - readAt > everyMs) void read();
      return sizes;
    },
  };
}

/** The path of the first string holding a NUL character (PostgreSQL text cannot hold one). */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [key, v] of Object.entries(value)) {
    const found = findNul(v, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export function queryLimitsPlugin(
  sizes: () => DataSizes,
  limits: Limits = { maxDepth: MAX_DEPTH, maxCost: MAX_COST, maxVertices: MAX_REQUEST_VERTICES },
): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          const coerced = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
          );
          // Variables that cannot be coerced are refused by execution with their own error.
          if (coerced.errors) return;
          // Text with a NUL byte would reach PostgreSQL and fail there with its SQL: refuse it here.
          let nul = findNul(coerced.coerced, '$variables');
          visit(document, {
            [Kind.STRING]: (node) => {
              if (!nul && node.value.includes('\u0000')) nul = 'a string in the query';
            },
          });
          if (nul)
            throw new GraphQLError(`${nul}: text must not contain NUL (\\u0000) characters`, {
              extensions: { code: 'BAD_USER_INPUT', argument: nul, http: { status: 400 } },
            });
          const m = measureOperation(schema, document, operation, coerced.coerced, sizes());
          if (m.depth > limits.maxDepth) {
            throw refuse(`query depth ${m.depth} exceeds the limit of ${limits.maxDepth}`, 'QUERY_TOO_DEEP', {
              depth: m.depth,
              limit: limits.maxDepth,
            });
          }
          for (const { field, count, allowed } of m.repeated) {
            throw refuse(
              `${field.split('.')[1]} may be asked for ${allowed === 1 ? 'once' : `at most ${allowed} times`} per request, not ${Math.ceil(count)} times`,
              'FIELD_REPEATED',
              { field, limit: allowed },
            );
          }
          if (m.vertices > limits.maxVertices) {
            throw refuse(
              `the request's polygons have ${Math.round(m.vertices)} vertices in all (each use counted), over the limit of ${limits.maxVertices}; simplify the polygon or send it once`,
              'POLYGON_TOO_LARGE',
              { vertices: Math.round(m.vertices), limit: limits.maxVertices },
            );
          }
          if (m.cost > limits.maxCost) {
            throw refuse(
              `query cost ${Math.round(m.cost)} exceeds the limit of ${limits.maxCost}: nested lists multiply (page size × items asked per row), and national lists count every region or village; ask for smaller pages or fewer copies`,
              'QUERY_TOO_COSTLY',
              { cost: Math.round(m.cost), limit: limits.maxCost },
            );
          }
        },
      };
    },
  };
}
