// The problem ledger's and the listings' workflows written out as specifications: every from → to
// pair with its verdict, by hand, so that a change to PROBLEM_TRANSITIONS that nobody meant shows
// up here as a failing row rather than as a new move the product quietly allows.
import { describe, expect, it } from 'vitest';
import { LISTING_STATUSES, PROBLEM_STATUSES } from '../tables/supervision.ts';
import {
  allowedNext,
  LISTING_TRANSITIONS,
  type ListingStatus,
  MOVES_BY_ROLE,
  NEEDS_REASON,
  type ProblemStatus,
  problemTransition,
} from './workflow.ts';

/**
 * Every problem status move: from, to, and the history action (null: refused). 待整改 open,
 * 已签收 signed, 整改中 in_progress, 已整改 rectified, 已销号 closed.
 */
const PROBLEM_MOVES: ReadonlyArray<readonly [ProblemStatus, ProblemStatus, string | null]> = [
  ['open', 'open', null],
  ['open', 'signed', 'signed'], // the department signs for it (签收)
  ['open', 'in_progress', 'started'],
  ['open', 'rectified', 'rectified'],
  ['open', 'closed', null], // never closed without a rectification to verify
  ['signed', 'open', null], // back to open only by handing it to another department (reassigned)
  ['signed', 'signed', null],
  ['signed', 'in_progress', 'started'],
  ['signed', 'rectified', 'rectified'],
  ['signed', 'closed', null],
  ['in_progress', 'open', 'reopened'],
  ['in_progress', 'signed', null],
  ['in_progress', 'in_progress', null],
  ['in_progress', 'rectified', 'rectified'],
  ['in_progress', 'closed', null],
  ['rectified', 'open', 'reopened'],
  ['rectified', 'signed', null],
  ['rectified', 'in_progress', 'returned'], // verification failed
  ['rectified', 'rectified', null],
  ['rectified', 'closed', 'closed'], // verified: 销号
  ['closed', 'open', 'reopened'],
  ['closed', 'signed', null],
  ['closed', 'in_progress', null],
  ['closed', 'rectified', null],
  ['closed', 'closed', null],
];

/** Every listing status move and whether it is allowed: 督战中 → 已摘帽/已出列 → 已销号, never back. */
const LISTING_MOVES: ReadonlyArray<readonly [ListingStatus, ListingStatus, boolean]> = [
  ['supervising', 'supervising', false],
  ['supervising', 'lifted', true],
  ['supervising', 'closed', false],
  ['lifted', 'supervising', false],
  ['lifted', 'lifted', false],
  ['lifted', 'closed', true],
  ['closed', 'supervising', false],
  ['closed', 'lifted', false],
  ['closed', 'closed', false],
];

describe('problem workflow', () => {
  it('the table covers every pair of statuses exactly once', () => {
    const pairs = PROBLEM_MOVES.map(([from, to]) => `${from}→${to}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs.length).toBe(PROBLEM_STATUSES.length ** 2);
    for (const from of PROBLEM_STATUSES)
      for (const to of PROBLEM_STATUSES) expect(pairs).toContain(`${from}→${to}`);
  });

  it.each(PROBLEM_MOVES)('%s → %s: %s', (from, to, action) => {
    expect(problemTransition(from, to)).toBe(action);
    expect(allowedNext(from).includes(to)).toBe(action !== null);
  });

  it('asks for a reason exactly when a problem goes back', () => {
    const actions = new Set(PROBLEM_MOVES.map(([, , action]) => action).filter((a) => a !== null));
    expect([...actions].filter((a) => NEEDS_REASON.has(a)).sort()).toEqual(['reopened', 'returned']);
    expect(NEEDS_REASON.has('closed')).toBe(false);
    expect(NEEDS_REASON.has('started')).toBe(false);
  });

  it('lists the allowed next statuses in the order the workflow gives them', () => {
    expect(allowedNext('open')).toEqual(['signed', 'in_progress', 'rectified']);
    expect(allowedNext('closed')).toEqual(['open']);
  });

  it('gives a department the sign-off and the rectification, and supervisors the verification', () => {
    expect(allowedNext('open', 'department')).toEqual(['signed', 'in_progress', 'rectified']);
    expect(allowedNext('rectified', 'department')).toEqual([]);
    expect(allowedNext('closed', 'department')).toEqual([]);
    expect(allowedNext('open', 'supervisor')).toEqual(['in_progress', 'rectified']);
    expect(allowedNext('rectified', 'supervisor')).toEqual(['closed', 'in_progress', 'open']);
    // No role both signs for a problem and closes it.
    for (const role of Object.values(MOVES_BY_ROLE))
      expect(role.has('signed') && role.has('closed')).toBe(false);
  });
});

describe('listing workflow', () => {
  it('the table covers every pair of statuses exactly once', () => {
    expect(LISTING_MOVES.length).toBe(LISTING_STATUSES.length ** 2);
    expect(new Set(LISTING_MOVES.map(([from, to]) => `${from}→${to}`)).size).toBe(LISTING_MOVES.length);
  });

  it.each(LISTING_MOVES)('%s → %s: %s', (from, to, allowed) => {
    expect(LISTING_TRANSITIONS[from].includes(to)).toBe(allowed);
  });
});
