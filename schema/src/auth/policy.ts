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
// |                                                   |   told one by one); department users get    |
// |                                                   |   what anonymous callers get                |
// | problem details and history, inspections, ledger  | a login (any role)                          |
// | export of the ledger                              | a login (any role)                          |
// | users                                             | admin                                       |
// | problems as a department user (the list, export)  | that department's problems only             |
// | supervision writes                                | supervisor inside their scope, or admin     |
// | a problem's sign-off, measures, rectification     | its department's users (department role),   |
// |   (signProblem, updateProblemDetails,             |   and supervisors in scope or admins (not   |
// |   submitRectification)                            |   the sign-off, which is the department's)  |
// | verifying, returning, closing, reopening          | supervisor in scope or admin, never the one |
// |                                                   |   who marked it rectified (db workflow.ts)  |
// | the department registry                           | reading: a login; writing: admin            |
// | the answer stored for an idempotency key          | the same user, still allowed to write the   |
// |                                                   |   stored record's place (checked again)     |
// | import templates (GET /api/data/templates/…)      | nothing (column headers and notes, no data) |
// | importing a file, dry run or apply                | admin: any dataset; analyst: all but the    |
// |   (POST /api/data/imports/…)                      |   ledger (listings, problems); supervisor:  |
// |                                                   |   only the ledger, every row inside their   |
// |                                                   |   scope (importRule); a login from the      |
// |                                                   |   cookie also needs X-Requested-With        |
// | rolling back an import                            | admin; analyst for all but the ledger       |
// | the import history                                | admin or analyst                            |
// | the audit log (auditLog)                          | admin; nothing can change or delete it      |
// | the day's overdue reminders (reminders)           | department: its own; supervisor: its region;|
// |                                                   |   admin: all; leaders and analysts: none    |
// | a problem's reminders (Problem.reminders)         | whoever reads the problem                   |
// | monitoring lines, monitoring statistics (counts)  | nothing (public, like the other aggregates) |
// | setting a monitoring line                         | admin                                       |
// | monitored households' rows (households, household)| a login; supervisors and department users:  |
// |                                                   |   their region only; each read is audited   |
// | a household's moves (风险消除, 再识别)            | supervisor in scope, or admin               |
//
// A request with a bad or expired token is refused outright (UNAUTHENTICATED), never served as
// anonymous: a client that thinks it is logged in must learn that it is not.
import type { Role, SessionRow, UserRow } from '@rrm/db';
import { type Database, findSessionUser } from '@rrm/db';
import { GraphQLError } from 'graphql';
import { readCookie, SESSION_COOKIE, verifyToken } from './tokens.ts';

export type Viewer =
  /** `staleCookie`: the session cookie named a session that has ended; the answer clears it. */
  | { kind: 'anonymous'; staleCookie?: boolean }
  | { kind: 'user'; user: UserRow; session: SessionRow }
  | { kind: 'refused'; reason: 'expired' | 'invalid' | 'ended' | 'disabled' };

/**
 * Who is asking: the token in `Authorization: Bearer` (it wins), else the `rrm_session` cookie.
 * A bad header token is refused; a bad cookie is dropped (served as anonymous, the cookie cleared),
 * since the browser sends it by itself with every request, public map queries included.
 */
export async function identify(
  database: Database,
  request: { authorization?: string | null; cookie?: string | null },
): Promise<Viewer> {
  if (request.authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(request.authorization.trim());
    if (!match) return { kind: 'refused', reason: 'invalid' };
    return identifyToken(database, match[1]!);
  }
  const token = readCookie(request.cookie, SESSION_COOKIE);
  if (!token) return { kind: 'anonymous' };
  const viewer = await identifyToken(database, token);
  return viewer.kind === 'refused' ? { kind: 'anonymous', staleCookie: true } : viewer;
}

async function identifyToken(database: Database, token: string): Promise<Viewer> {
  const check = await verifyToken(token);
  if (!check.ok) return { kind: 'refused', reason: check.reason };
  // Session and user in one query: a revoked or expired session ends the token, and the role and
  // scope come from the database, so a change (or disabling) applies at once.
  const found = await findSessionUser(database.db, check.sessionId);
  if (!found || found.user.id !== check.userId) return { kind: 'refused', reason: 'ended' };
  if (found.user.disabled) return { kind: 'refused', reason: 'disabled' };
  return { kind: 'user', user: found.user, session: found.session };
}

const REFUSALS = {
  expired: 'your login has expired; log in again',
  invalid: 'the token is not valid (tampered, or signed by another server); log in again',
  ended:
    'your session has ended (logged out, or your password, role or scope changed, or you were disabled); log in again',
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
    throw unauthenticated(`${what} needs a login (log in, or send Authorization: Bearer <token>)`);
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
  if (user.role === 'admin') return { user, authorize: () => {} };
  return requireWriterScope(user, what);
}

/**
 * Who may act on a problem: a supervision writer as above, or a department user, whose scope is
 * their department's county and who acts on their department's problems only (the data layer
 * checks the problem's department against `departmentId`, and which moves a department makes).
 */
export function requireProblemActor(
  viewer: Viewer,
  what: string,
): { user: UserRow; authorize: (countyCode: string) => void; departmentId: number | null } {
  const user = requireRole(viewer, ['supervisor', 'department', 'admin'], what);
  if (user.role === 'department') {
    if (user.departmentId == null) throw forbidden(`${what}: you belong to no department`);
    return { ...requireWriterScope(user, what), departmentId: user.departmentId };
  }
  return { ...requireWriter(viewer, what), departmentId: null };
}

/** The scope check of a user with a region scope. */
function requireWriterScope(user: UserRow, what: string) {
  return {
    user,
    authorize: (countyCode: string) => {
      if (!user.regionScope || !countyCode.startsWith(user.regionScope))
        throw forbidden(
          `${what}: county ${countyCode} is outside your region (${user.regionScope ?? 'none'})`,
        );
    },
  };
}

/**
 * The department whose problems alone a viewer may read (a department user's own), or null for
 * everyone else. Every read of problems applies it: the list, a mutation's answer, the export.
 */
export function problemReadScope(viewer: Viewer): number | null {
  if (viewer.kind !== 'user' || viewer.user.role !== 'department') return null;
  // A department user without a department (the database forbids it) would read nothing.
  return viewer.user.departmentId ?? -1;
}

/**
 * The region whose monitored households a viewer may read: '' for every region (admins, leaders,
 * analysts), a supervisor's or department user's region scope. Household rows need a login.
 */
export function householdReadScope(viewer: Viewer, what: string): string {
  const user = requireLogin(viewer, what);
  if (user.role === 'supervisor' || user.role === 'department') return user.regionScope ?? '-';
  return '';
}

/**
 * Whether a viewer reads a household holder's name in full (户主姓名): admins, and the supervisors
 * and department users who work the household's region (household reads are already limited to
 * it). Leaders and analysts read names masked; every export masks them.
 */
export function readsHolderNames(viewer: Viewer): boolean {
  if (viewer.kind !== 'user') return false;
  return ['admin', 'supervisor', 'department'].includes(viewer.user.role);
}

/**
 * Whose overdue reminders a user reads: a department user their department's, a supervisor those
 * of their region, an admin all. Leaders and analysts are sent none.
 */
export function reminderScope(
  viewer: Viewer,
  what: string,
): { departmentId: number | null; region: string | null } {
  const user = requireRole(viewer, ['department', 'supervisor', 'admin'], what);
  if (user.role === 'department') return { departmentId: user.departmentId ?? -1, region: null };
  if (user.role === 'supervisor') return { departmentId: null, region: user.regionScope ?? '-' };
  return { departmentId: null, region: null };
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
  // A department user reads its own department's problems only: of the rest, what anyone may.
  if (viewer.kind === 'user' && viewer.user.role !== 'department') return 0;
  if (regionCode && regionCode.length > 6)
    throw viewer.kind === 'user'
      ? forbidden("a ledger summary below the county is not for a department's login")
      : unauthenticated(
          'a ledger summary below the county needs a login (send Authorization: Bearer <token>)',
        );
  return MIN_PUBLIC_LEDGER;
}

/** What a rule about imports needs to know of a dataset (db/src/imports/spec.ts, DatasetSpec). */
export interface ImportableDataset {
  name: string;
  /** Present when the dataset says where each row lies, so an import can be limited to a region. */
  regionOf?: unknown;
  /**
   * 'supervision' for the 挂牌督战 ledger (listings, problems): a supervision write; 'monitoring' for
   * the monitored households and their measures (personal data, written like the ledger).
   */
  changes?: 'figures' | 'supervision' | 'monitoring';
}

/**
 * Who may import a file into a dataset (a dry run or an apply) or roll its latest import back, and
 * the region an import is then limited to (null: everywhere). Admins may do both for any dataset;
 * analysts for the figures and places, not the 挂牌督战 ledger (listings, problems: supervision
 * writes, which analysts never make), nor the monitored households and their measures. A
 * supervisor may import only a ledger or household dataset that says where each row lies
 * (`regionOf`), limited to their scope, and roll nothing back (the latest
 * import of a dataset may be another region's). A supervisor without a scope may import nothing.
 */
export function importRule(
  viewer: Viewer,
  dataset: ImportableDataset,
  action: 'import' | 'rollback',
): { user: UserRow; regionScope: string | null } {
  const what =
    action === 'import' ? `importing ${dataset.name}` : `rolling back an import of ${dataset.name}`;
  const user = requireLogin(viewer, what);
  // The monitored households follow the ledger's rule: admins, or a supervisor in their region;
  // never analysts, who read households but do not keep them.
  const ledger = dataset.changes === 'supervision' || dataset.changes === 'monitoring';
  if (user.role === 'admin' || (user.role === 'analyst' && !ledger)) return { user, regionScope: null };
  if (user.role === 'supervisor' && action === 'import' && ledger && dataset.regionOf) {
    if (!user.regionScope) throw forbidden(`${what}: you have no region to import for`);
    return { user, regionScope: user.regionScope };
  }
  // The ledger's datasets that say no region per row (the department registry) are the admins'.
  if (ledger && !dataset.regionOf) throw forbidden(`${what} is for admin; you are ${user.role}`);
  throw forbidden(
    user.role === 'supervisor' && action === 'import'
      ? `${what} is for admin or analyst; a supervisor imports only the 挂牌督战 ledger (listings, problems) and the monitored households (households, household-measures) of their region`
      : ledger
        ? `${what} is for admin, or a supervisor in their region; you are ${user.role}`
        : `${what} is for admin or analyst; you are ${user.role}`,
  );
}

/** Whether importRule would let the viewer import into the dataset (for the data page's list). */
export function mayImport(viewer: Viewer, dataset: ImportableDataset): boolean {
  try {
    importRule(viewer, dataset, 'import');
    return true;
  } catch {
    return false;
  }
}
