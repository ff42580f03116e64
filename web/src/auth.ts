import { useEffect, useState } from 'react';
// The login on this browser: the token and who it belongs to, kept in localStorage until it expires.
// Every API call sends it; an answer saying it expired or is invalid logs out (see api.ts).

export interface Session {
  token: string;
  expiresAt: string;
  user: {
    username: string;
    displayName: string;
    role: 'LEADER' | 'ANALYST' | 'SUPERVISOR' | 'ADMIN';
    regionScope: string | null;
  };
}

const KEY = 'rrm.session';
const listeners = new Set<(session: Session | null) => void>();

export function currentSession(): Session | null {
  try {
    const session = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    if (session && new Date(session.expiresAt).getTime() > Date.now()) return session;
  } catch {
    // A damaged entry is the same as none.
  }
  return null;
}

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener(session);
}

export function onSessionChange(listener: (session: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether the user may write supervision data for a county (the server checks again). */
export function canWrite(session: Session | null, countyCode: string): boolean {
  if (!session) return false;
  if (session.user.role === 'ADMIN') return true;
  return (
    session.user.role === 'SUPERVISOR' &&
    !!session.user.regionScope &&
    countyCode.startsWith(session.user.regionScope)
  );
}

/** The session, kept current; logs out by itself when the token expires. */
export function useSession(): Session | null {
  const [session, setSession] = useState(currentSession);
  useEffect(() => onSessionChange(setSession), []);
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
