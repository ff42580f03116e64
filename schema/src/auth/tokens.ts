// Login tokens: HS256 JWTs signed with jose, carrying the user id, the session id (sid), role and
// scope, valid for 8 hours. A token is accepted only while its session lives (policy.ts).
// The key comes from AUTH_SECRET (at least 32 characters); without it a random key is made at start,
// so tokens stop working when the process restarts (fine for the demo, documented in the README).
import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const TOKEN_HOURS = 8;
const ISSUER = 'rural-revitalization-monitor';

let key: Uint8Array | null = null;
function signingKey(): Uint8Array {
  if (key) return key;
  const secret = process.env.AUTH_SECRET;
  if (secret && secret.length < 32) throw new Error('AUTH_SECRET must be at least 32 characters');
  key = secret ? new TextEncoder().encode(secret) : randomBytes(32);
  return key;
}

export interface TokenClaims {
  userId: number;
  /** The session (db sessions table); a token without one is refused. Optional only for tests. */
  sessionId?: string;
  role: string;
  scope: string | null;
}

export async function signToken(
  claims: TokenClaims,
  options: { expiresInSeconds?: number; expiresAt?: Date } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const seconds = options.expiresInSeconds ?? TOKEN_HOURS * 3600;
  const expiresAt = options.expiresAt ?? new Date(Date.now() + seconds * 1000);
  const token = await new SignJWT({
    role: claims.role,
    scope: claims.scope,
    ...(claims.sessionId ? { sid: claims.sessionId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(claims.userId))
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(signingKey());
  return { token, expiresAt };
}

export type TokenCheck =
  | { ok: true; userId: number; sessionId: string }
  | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Verifies signature (HS256 only: `alg: none` and other algorithms are refused), issuer, expiry and
 * that a session id is present. Whether the session still lives is the caller's check.
 */
export async function verifyToken(token: string): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, signingKey(), { issuer: ISSUER, algorithms: ['HS256'] });
    const userId = Number(payload.sub);
    const sessionId = payload.sid;
    return Number.isInteger(userId) && typeof sessionId === 'string' && /^[\w-]{22}$/.test(sessionId)
      ? { ok: true, userId, sessionId }
      : { ok: false, reason: 'invalid' };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

// ---------------------------------------------------------------- the session cookie

/** The login cookie: HttpOnly (out of reach of page script), SameSite=Strict, Path=/. */
export const SESSION_COOKIE = 'rrm_session';

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}

/** The value of a cookie in a Cookie header, or null. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
