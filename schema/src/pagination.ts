// Keyset pagination for Relay connections: the cursor carries the last row's sort key, so a deep
// page costs the same as the first (no OFFSET scan).
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

export function encodeCursor(kind: string, key: string | number): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

/** Decodes a cursor of the given kind, with a clear error for anything else. */
export function decodeCursor(kind: string, cursor: string | null | undefined): string | null {
  if (cursor == null) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${kind}:`;
  if (!text.startsWith(prefix) || text.length === prefix.length) {
    throw badInput(
      'after',
      `not a cursor of this list (${kind}); use an endCursor or edge cursor from the same query`,
    );
  }
  return text.slice(prefix.length);
}

export function decodeNumericCursor(kind: string, cursor: string | null | undefined): number | null {
  const key = decodeCursor(kind, cursor);
  if (key == null) return null;
  if (!/^\d+$/.test(key)) throw badInput('after', 'malformed cursor');
  return Number(key);
}

/** Builds the connection object plugin-relay expects from a page of rows. */
export function toConnection<T>(
  kind: string,
  rows: T[],
  hasNextPage: boolean,
  key: (row: T) => string | number,
) {
  const edges = rows.map((node) => ({ cursor: encodeCursor(kind, key(node)), node }));
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
