// The rules of the problem ledger and of listings, as data: which status may follow which, and
// what each move is called in the history. Pure; the writes in writes.ts apply them.
import type { LISTING_STATUSES, PROBLEM_STATUSES } from '../tables/supervision.ts';

export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/**
 * open → in progress → rectified → closed (verified, 销号). A rectification that fails verification
 * goes back to in progress; a closed or rectified problem can be reopened, with a reason.
 */
export const PROBLEM_TRANSITIONS: Record<ProblemStatus, Partial<Record<ProblemStatus, string>>> = {
  open: { in_progress: 'started', rectified: 'rectified' },
  in_progress: { rectified: 'rectified', open: 'reopened' },
  rectified: { closed: 'closed', in_progress: 'returned', open: 'reopened' },
  closed: { open: 'reopened' },
};

/** Moves that must say why (the note is the reason). */
export const NEEDS_REASON = new Set(['reopened', 'returned']);

/** The history action for a move, or null when the move is not allowed. */
export function problemTransition(from: ProblemStatus, to: ProblemStatus): string | null {
  return PROBLEM_TRANSITIONS[from][to] ?? null;
}

export function allowedNext(from: ProblemStatus): ProblemStatus[] {
  return Object.keys(PROBLEM_TRANSITIONS[from]) as ProblemStatus[];
}

/** 督战中 → 已摘帽/已出列 → 已销号; closing needs every problem of the listing closed. */
export const LISTING_TRANSITIONS: Record<ListingStatus, ListingStatus[]> = {
  supervising: ['lifted'],
  lifted: ['closed'],
  closed: [],
};
