// Login sessions: created at login, checked on every request (session and user in one query),
// revoked by logout and by any change to what the user may do (see users.ts updateUser).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import type { AppDb } from '../client.ts';
import { errorCode } from '../error-code.ts';
import type { sessions } from '../tables/sessions.ts';
import { DEMO_PASSWORD, DEMO_USERNAMES } from './demo.ts';
import { verifyPassword } from './passwords.ts';
import type { UserRow } from './users.ts';

export type SessionRow = Pick<typeof sessions.$inferSelect, 'id' | 'userId' | 'expiresAt'>;

/** Starts a session: 128 random bits, base64url. */
/**
 * Opens a session for a user whose password was just checked against `checkedHash`. The row is
 * written only if that hash is still the user's and the user is enabled: a login that checked an
 * old password while a password change (or disabling) committed gets no session. Null then.
 */
export async function createSession(
  db: Executor,
  session: {
    userId: number;
    checkedHash: string;
    expiresAt: Date;
    clientAddress: string | null;
    /**
     * The login used the demo password: the session is written only while the data is the demo
     * dataset alone (demo.ts isDemoDataOnly). The dataset row is read FOR SHARE, so a login that
     * meets an import under way waits for it (every import holds the row FOR UPDATE) and is then
     * refused; one checked before the import began cannot slip its session in after the import's
     * revoke.
     */
    demoPassword?: boolean;
  },
): Promise<string | null> {
  const id = randomBytes(16).toString('base64url');
  const demoDataOnly = session.demoPassword
    ? sql`AND EXISTS (SELECT 1 FROM dataset d WHERE d.id = 'current' AND d.kind = 'demo'
        AND coalesce(d.details->'parts', '{}'::jsonb) = '{}'::jsonb FOR SHARE)`
    : sql``;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO sessions (id, user_id, expires_at, client_address)
      SELECT ${id}, u.id, ${session.expiresAt.toISOString()}, ${session.clientAddress} FROM users u
      WHERE u.id = ${session.userId} AND u.password_hash = ${session.checkedHash} AND NOT u.disabled
        ${demoDataOnly}
      RETURNING id`,
  );
  return rows[0]?.id ?? null;
}

/** How long a login with the demo password waits for a write holding the dataset row. */
const DEMO_LOGIN_LOCK_WAIT = '5s';

/**
 * A session for a login with the demo password (createSession's `demoPassword`), waiting at most
 * DEMO_LOGIN_LOCK_WAIT for a write that holds the dataset row (an import may be making the data
 * real): logins left waiting must not hold the pool's connections for the length of an import.
 * 'busy' when the wait ran out.
 */
export async function createDemoPasswordSession(
  db: AppDb,
  session: Omit<Parameters<typeof createSession>[1], 'demoPassword'>,
): Promise<string | null | 'busy'> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL lock_timeout = '${DEMO_LOGIN_LOCK_WAIT}'`));
      return createSession(tx, { ...session, demoPassword: true });
    });
  } catch (error) {
    if (errorCode(error, (code) => code === '55P03')) return 'busy'; // lock_not_available
    throw error;
  }
}

/**
 * The user of a live session (exists, not revoked, not expired) in one query; null otherwise. The
 * user comes back even when disabled, so the caller can say so.
 */
export async function findSessionUser(
  db: Executor,
  sessionId: string,
): Promise<{ session: SessionRow; user: UserRow } | null> {
  const [row] = await queryRows<UserRow & { sessionId: string; expiresAt: Date | string }>(
    db,
    sql`SELECT s.id AS "sessionId", s.expires_at AS "expiresAt",
          u.id, u.username, u.display_name AS "displayName", u.role, u.region_scope AS "regionScope",
          u.department_id AS "departmentId", u.disabled
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = ${sessionId} AND s.revoked_at IS NULL AND s.expires_at > now()`,
  );
  if (!row) return null;
  const { sessionId: id, expiresAt, ...user } = row;
  return { session: { id, userId: user.id, expiresAt: new Date(expiresAt) }, user };
}

/** Ends one session (logout). */
export async function revokeSession(db: Executor, sessionId: string): Promise<void> {
  await db.execute(
    sql`UPDATE sessions SET revoked_at = now() WHERE id = ${sessionId} AND revoked_at IS NULL`,
  );
}

/** Ends every session of a user (password, role or scope change, disabled). */
export async function revokeUserSessions(db: Executor, userId: number): Promise<void> {
  await db.execute(
    sql`UPDATE sessions SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL`,
  );
}

/**
 * Ends every session of the demo users who still have the demo password (an import of real data:
 * from then on that password opens no login, see demo.ts). A demo user whose password was changed
 * keeps their sessions. Returns how many sessions were ended.
 */
export async function revokeDemoPasswordSessions(db: Executor): Promise<number> {
  const users = await queryRows<{ id: number; hash: string }>(
    db,
    sql`SELECT id, password_hash AS hash FROM users WHERE username IN (${sql.join(
      DEMO_USERNAMES.map((name) => sql`${name}`),
      sql`, `,
    )})`,
  );
  let ended = 0;
  for (const user of users) {
    if (!(await verifyPassword(DEMO_PASSWORD, user.hash))) continue;
    const rows = await queryRows<{ id: string }>(
      db,
      sql`UPDATE sessions SET revoked_at = now() WHERE user_id = ${user.id} AND revoked_at IS NULL RETURNING id`,
    );
    ended += rows.length;
  }
  return ended;
}
