// Who may do what: the one place that decides. Resolvers call these; nothing else checks roles.
//
// | what                                              | needs                                       |
// |---------------------------------------------------|---------------------------------------------|
// | regions, villages, sites, figures, maps, tiles    | nothing (aggregates, public in demo mode)   |
// | problem counts on counties, listings' statuses    | nothing (aggregates)                        |
// | ledger summary of the country, a province,        | nothing for the counts by status; by        |
// |   prefecture or county (supervisionSummary)       |   category and by department need a login   |
// |                                                   |   when the region has < 5 problems          |
// |                                                   |   (detailsWithheld), and leave out counties |
// |                                                   |   with < 5 (ledgerSummaryRule)              |
// | ledger summary below the county (9/12 digits)     | a login (a village's few problems would be  |
// |                                                   |   told one by one)                          |
// | problem details and history, inspections, ledger  | a login (any role)                          |
// | export of the ledger                              | a login (any role)                          |
// | users                                             | admin                                       |
// | supervision writes                                | supervisor inside their scope, or admin     |
// | the answer stored for an idempotency key          | the same user, still allowed to write the   |
// |                                                   |   stored record's place (checked again)     |
//
// A request with a bad or expired token is refused outright (UNAUTHENTICATED), never served as
// anonymous: a client that thinks it is logged in must learn that it is not.
import type { Role, UserRow } from '@rrm/db';
import { type Database, findUserById } from '@rrm/db';
import { GraphQLError } from 'graphql';
import { verifyToken } from './tokens.ts';

export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'user'; user: UserRow }
  | { kind: 'refused'; reason: 'expired' | 'invalid' | 'disabled' };

/** Reads the Authorization header ("Bearer <token>"). */
export async function identify(database: Database, header: string | undefined): Promise<Viewer> {
  if (!header) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return { kind: 'refused', reason: 'invalid' };
  const check = await verifyToken(match[1]!);
  if (!check.ok) return { kind: 'refused', reason: check.reason };
  // The role and scope come from the database, so a change (or disabling) applies at once.
  const user = await findUserById(database.db, check.userId);
  if (!user || user.disabled) return { kind: 'refused', reason: user ? 'disabled' : 'invalid' };
  return { kind: 'user', user };
}

const REFUSALS = {
  expired: 'your login has expired; log in again',
  invalid: 'the token is not valid (tampered, or signed by another server); log in again',
  disabled: 'this user is disabled',
} as const;

export function unauthenticated(message: string, reason = 'missing'): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', reason, http: { status: 401 } },
  });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/** A refused token fails every request, public or not. */
export function checkViewer(viewer: Viewer): void {
  if (viewer.kind === 'refused') throw unauthenticated(REFUSALS[viewer.reason], viewer.reason);
}

/** The logged-in user, for reads that need one. */
export function requireLogin(viewer: Viewer, what: string): UserRow {
  checkViewer(viewer);
  if (viewer.kind !== 'user')
    throw unauthenticated(`${what} needs a login (send Authorization: Bearer <token>)`);
  return viewer.user;
}

export function requireRole(viewer: Viewer, roles: readonly Role[], what: string): UserRow {
  const user = requireLogin(viewer, what);
  if (!roles.includes(user.role))
    throw forbidden(`${what} is for ${roles.join(' or ')}; you are ${user.role}`);
  return user;
}

/** A supervision writer and the scope check the writes run on each stored place. */
export function requireWriter(
  viewer: Viewer,
  what: string,
): { user: UserRow; authorize: (countyCode: string) => void } {
  const user = requireRole(viewer, ['supervisor', 'admin'], what);
  return {
    user,
    authorize: (countyCode) => {
      if (user.role === 'admin') return;
      if (!user.regionScope || !countyCode.startsWith(user.regionScope))
        throw forbidden(
          `${what}: county ${countyCode} is outside your region (${user.regionScope ?? 'none'})`,
        );
    },
  };
}

/** Fewer problems than this in a region, and an anonymous summary tells counts by status only. */
export const MIN_PUBLIC_LEDGER = 5;

/**
 * Who may read a region's ledger summary, and how much of it. Refuses an anonymous caller below
 * the county (a 9- or 12-digit code). Otherwise returns the smallest ledger whose details (counts
 * by category and by department) this caller may see: anonymous callers get MIN_PUBLIC_LEDGER,
 * applied to the region asked for (fewer problems: no details at all, `detailsWithheld`) and to
 * each county inside it (a small county's problems are left out of a prefecture's details, so
 * that they cannot be had by subtracting its neighbours); logged-in users get 0 (everything).
 */
export function ledgerSummaryRule(viewer: Viewer, regionCode: string | null): number {
  checkViewer(viewer);
  if (viewer.kind === 'user') return 0;
  if (regionCode && regionCode.length > 6)
    throw unauthenticated(
      'a ledger summary below the county needs a login (send Authorization: Bearer <token>)',
    );
  return MIN_PUBLIC_LEDGER;
}
