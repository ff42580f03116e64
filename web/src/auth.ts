import { useEffect, useState } from 'react';
import { request } from './api.ts';
import { graphql, type ResultOf } from './graphql.ts';
// The login on this browser. The token lives only in an HttpOnly cookie (rrm_session) that page
// script cannot read; the page learns who is logged in, and until when, from the `session` query.
// Kept in memory: `undefined` while the first answer is awaited, null without a login.

/** Who is logged in, as the `session` query and the `login` mutation both answer it. */
export const SESSION_USER = graphql(`
  fragment SessionUser on User @_unmask { username displayName role regionScope departmentId }
`);

const SESSION = graphql('{ session { expiresAt user { ...SessionUser } } }', [SESSION_USER]);
export type Session = NonNullable<ResultOf<typeof SESSION>['session']>;

// Earlier versions kept the token in localStorage, where injected script could read it: drop it.
try {
  localStorage.removeItem('rrm.session');
} catch {
  // Storage may be unavailable; nothing to drop then.
}

let current: Session | null | undefined;
let loading: Promise<void> | null = null;
const listeners = new Set<(session: Session | null | undefined) => void>();

/** The session as known now (undefined: not asked yet, or the answer is on its way). */
export function currentSession(): Session | null | undefined {
  if (current && new Date(current.expiresAt).getTime() <= Date.now()) saveSession(null);
  return current;
}

export function saveSession(session: Session | null): void {
  current = session;
  for (const listener of listeners) listener(session);
}

export function onSessionChange(listener: (session: Session | null | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Asks the server who is logged in (once per page load, and again after `refreshSession`). */
export function loadSession(): Promise<void> {
  loading ??= (async () => {
    try {
      saveSession((await request(SESSION, {})).session);
    } catch {
      saveSession(null);
    }
  })();
  return loading;
}

/**
 * Whether the user reads the monitored households of a region (the server checks again):
 * supervisors and department users those of their own region, everyone else logged in all.
 */
export function readsHouseholdsOf(session: Session | null | undefined, regionCode: string): boolean {
  if (!session) return false;
  const role = session.user.role;
  if (role !== 'SUPERVISOR' && role !== 'DEPARTMENT') return true;
  return !!session.user.regionScope && regionCode.startsWith(session.user.regionScope);
}

/** Whether the user may write supervision data for a county (the server checks again). */
export function canWrite(session: Session | null | undefined, countyCode: string): boolean {
  if (!session) return false;
  if (session.user.role === 'ADMIN') return true;
  return (
    session.user.role === 'SUPERVISOR' &&
    !!session.user.regionScope &&
    countyCode.startsWith(session.user.regionScope)
  );
}

/**
 * Whether the user may act on problems of a county: a supervision writer, or a department user of
 * that county (who is shown, and acts on, their own department's problems only).
 */
export function canActOnProblems(session: Session | null | undefined, countyCode: string): boolean {
  if (canWrite(session, countyCode)) return true;
  return session?.user.role === 'DEPARTMENT' && session.user.regionScope === countyCode;
}

/** The region a user's supervision views start from: a supervisor's scope, a department's county, else all. */
export function viewScope(session: Session | null | undefined): string | null {
  const role = session?.user.role;
  return role === 'SUPERVISOR' || role === 'DEPARTMENT' ? (session?.user.regionScope ?? null) : null;
}

/** The session, kept current; logs out by itself when the login expires. */
export function useSession(): Session | null | undefined {
  const [session, setSession] = useState(currentSession);
  useEffect(() => {
    const stop = onSessionChange(setSession);
    if (current === undefined) void loadSession();
    else setSession(current);
    return stop;
  }, []);
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(
      () => saveSession(null),
      Math.max(0, new Date(session.expiresAt).getTime() - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [session]);
  return session;
}
