// Login tokens: HS256 JWTs signed with jose, carrying the user id, role and scope, valid for 8 hours.
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
  role: string;
  scope: string | null;
}

export async function signToken(
  claims: TokenClaims,
  options: { expiresInSeconds?: number } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const seconds = options.expiresInSeconds ?? TOKEN_HOURS * 3600;
  const expiresAt = new Date(Date.now() + seconds * 1000);
  const token = await new SignJWT({ role: claims.role, scope: claims.scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(claims.userId))
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(signingKey());
  return { token, expiresAt };
}

export type TokenCheck = { ok: true; userId: number } | { ok: false; reason: 'expired' | 'invalid' };

/** Verifies signature, issuer and expiry. The role is read again from the database by the caller. */
export async function verifyToken(token: string): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, signingKey(), { issuer: ISSUER, algorithms: ['HS256'] });
    const userId = Number(payload.sub);
    return Number.isInteger(userId) ? { ok: true, userId } : { ok: false, reason: 'invalid' };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}
