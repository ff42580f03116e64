// Keyset pagination for Relay connections: the cursor carries the last row's sort value and key,
// so a deep page costs the same as the first (no OFFSET scan). A cursor is tied to its list and its
// ordering: one from another list or ordering is refused rather than silently misread.
import type { KeysetPosition, ListRow } from '@rrm/db';
import { badInput } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1_000;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export function pageSize(args: ConnectionArgs): number {
  if (args.last != null || args.before != null) {
    throw badInput(
      args.last != null ? 'last' : 'before',
      'backward pagination is not supported; page forward with first/after',
    );
  }
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0)
    throw badInput('first', `must be a whole number ≥ 0, got ${first}`);
  if (first > MAX_PAGE_SIZE)
    throw badInput('first', `at most ${MAX_PAGE_SIZE} per page, got ${first}; page with after`);
  return first;
}

export function encodeCursor(list: string, ordering: string, row: ListRow): string {
  return Buffer.from(JSON.stringify([list, ordering, row.sort_value, row.sort_key]), 'utf8').toString(
    'base64url',
  );
}

/** Decodes a cursor of the given list and ordering, with a clear error for anything else. */
export function decodeCursor(
  list: string,
  ordering: string,
  cursor: string | null | undefined,
): KeysetPosition | null {
  if (cursor == null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || parsed[0] !== list) {
    throw badInput(
      'after',
      `not a cursor of this list (${list}); use an endCursor or edge cursor from the same query`,
    );
  }
  if (parsed[1] !== ordering) {
    throw badInput('after', 'the cursor belongs to another ordering; keep orderBy the same while paging');
  }
  const [, , value, key] = parsed as [string, string, unknown, unknown];
  const scalar = (x: unknown) => x === null || typeof x === 'string' || typeof x === 'number';
  if (!scalar(value) || (typeof key !== 'string' && typeof key !== 'number'))
    throw badInput('after', 'malformed cursor');
  return [value as string | number | null, key];
}

/** Builds the connection object plugin-relay expects from a page of rows. */
export function toConnection<T extends ListRow>(
  list: string,
  ordering: string,
  rows: T[],
  hasNextPage: boolean,
) {
  const edges = rows.map((node) => ({ cursor: encodeCursor(list, ordering, node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
