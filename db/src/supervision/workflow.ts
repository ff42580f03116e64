// The rules of the problem ledger and of listings, as data: which status may follow which, and
// what each move is called in the history. Pure; the writes in writes.ts apply them.
import type { LISTING_STATUSES, PROBLEM_STATUSES } from '../tables/supervision.ts';

export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/**
 * open → signed for by its department (签收) → in progress → rectified → closed (verified, 销号).
 * A problem without a registered department skips the sign-off. A rectification that fails
 * verification goes back to in progress; a closed or rectified problem can be reopened, with a
 * reason. Who may make which move is in MOVES_BY_ROLE.
 */
export type ProblemMove = 'signed' | 'started' | 'rectified' | 'closed' | 'returned' | 'reopened';

export const PROBLEM_TRANSITIONS: Record<ProblemStatus, Partial<Record<ProblemStatus, ProblemMove>>> = {
  open: { signed: 'signed', in_progress: 'started', rectified: 'rectified' },
  signed: { in_progress: 'started', rectified: 'rectified' },
  in_progress: { rectified: 'rectified', open: 'reopened' },
  rectified: { closed: 'closed', in_progress: 'returned', open: 'reopened' },
  closed: { open: 'reopened' },
};

/**
 * Who makes which move. A department signs for its problems, rectifies them and submits the
 * rectification; it never verifies, returns, closes or reopens one. Supervisors (and admins) do
 * all but the sign-off, which is the department's own act; and whoever marked a problem rectified
 * may not also verify and close it (problem-writes.ts checks that from the history).
 */
export const MOVES_BY_ROLE = {
  department: new Set(['signed', 'started', 'rectified']),
  supervisor: new Set(['started', 'rectified', 'closed', 'returned', 'reopened']),
} as const;

/** The role class a move is checked against: department users, or supervisors and admins. */
export type MoveRole = keyof typeof MOVES_BY_ROLE;

/** Moves that must say why (the note is the reason). */
export const NEEDS_REASON = new Set(['reopened', 'returned']);

/** The history action for a move, or null when the move is not allowed. */
export function problemTransition(from: ProblemStatus, to: ProblemStatus): ProblemMove | null {
  return PROBLEM_TRANSITIONS[from][to] ?? null;
}

/** The statuses a problem may move to next; for one role, only the moves that role makes. */
export function allowedNext(from: ProblemStatus, role?: MoveRole): ProblemStatus[] {
  return (Object.entries(PROBLEM_TRANSITIONS[from]) as [ProblemStatus, ProblemMove][])
    .filter(([, action]) => !role || MOVES_BY_ROLE[role].has(action))
    .map(([to]) => to);
}

/** 督战中 → 已摘帽/已出列 → 已销号; closing needs every problem of the listing closed. */
export const LISTING_TRANSITIONS: Record<ListingStatus, ListingStatus[]> = {
  supervising: ['lifted'],
  lifted: ['closed'],
  closed: [],
};

/**
 * Whether a history entry's author is this user: the ledger page writes a username, an import
 * `user:<username>` (db/src/imports). The verifier-is-not-the-rectifier rule holds across both.
 */
export function samePerson(historyAuthor: string | null, username: string): boolean {
  if (historyAuthor == null) return false;
  const plain = (name: string) => (name.startsWith('user:') ? name.slice('user:'.length) : name);
  return plain(historyAuthor) === plain(username);
}
