// The SQLSTATE (or driver code) an error carries: drivers, drizzle and GraphQL each wrap the
// database's error (`cause`, `originalError`), so the code may sit a few links down the chain.

/**
 * The first code along the error's chain of causes that `wanted` accepts, or null. The chain is
 * followed through `originalError` (GraphQL) and `cause` (drizzle, our own wrappers), each error once.
 */
export function errorCode(error: unknown, wanted: (code: string) => boolean): string | null {
  const seen = new Set<unknown>();
  let current = error as { code?: unknown; cause?: unknown; originalError?: unknown } | undefined;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    if (typeof current.code === 'string' && wanted(current.code)) return current.code;
    current = (current.originalError ?? current.cause) as typeof current;
  }
  return null;
}
