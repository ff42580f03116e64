// Users: find, list, create, update. Password hashes never leave this module's callers' hands:
// UserRow has none; only findLogin returns it, for checking a password.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { ROLES, type Role, type users } from '../tables/users.ts';
import { SupervisionError } from './errors.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { revokeUserSessions } from './sessions.ts';

/** A user as the API may see one: no password hash, no creation time. */
export type UserRow = Omit<typeof users.$inferSelect, 'passwordHash' | 'createdAt'>;

const COLUMNS = sql`id, username, display_name AS "displayName", role, region_scope AS "regionScope",
  department_id AS "departmentId", disabled`;

export async function findUserById(db: Executor, id: number): Promise<UserRow | null> {
  const [row] = await queryRows<UserRow>(db, sql`SELECT ${COLUMNS} FROM users WHERE id = ${id}`);
  return row ?? null;
}

export async function findLogin(
  db: Executor,
  username: string,
): Promise<(UserRow & Pick<typeof users.$inferSelect, 'passwordHash'>) | null> {
  const [row] = await queryRows<UserRow & Pick<typeof users.$inferSelect, 'passwordHash'>>(
    db,
    sql`SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM users WHERE username = ${username}`,
  );
  return row ?? null;
}

export function listUsers(db: Executor): Promise<UserRow[]> {
  return queryRows<UserRow>(db, sql`SELECT ${COLUMNS} FROM users ORDER BY username`);
}

/** What the audit log records of a user (never the password or its hash), and of none yet. */
export const auditedUser = (
  u: Pick<UserRow, 'displayName' | 'role' | 'regionScope' | 'departmentId' | 'disabled'>,
) => ({
  displayName: u.displayName,
  role: u.role,
  regionScope: u.regionScope,
  departmentId: u.departmentId,
  disabled: u.disabled,
});
export const NO_USER = {
  displayName: null,
  role: null,
  regionScope: null,
  departmentId: null,
  disabled: null,
};

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  regionScope: string | null;
  /** For the department role: the department; their region scope is then its county. */
  departmentId?: number | null;
  password: string;
}

/** The county of a department, which is a department user's scope; refuses an unknown department. */
async function departmentScope(db: Executor, departmentId: number): Promise<string> {
  const [row] = await queryRows<{ county: string }>(
    db,
    sql`SELECT county_code AS county FROM departments WHERE id = ${departmentId}`,
  );
  if (!row)
    throw new SupervisionError('BAD_USER_INPUT', 'departmentId', `there is no department ${departmentId}`);
  return row.county;
}

export async function createUser(db: Executor, user: NewUser): Promise<UserRow> {
  const hash = await hashPassword(user.password);
  const departmentId = user.departmentId ?? null;
  const scope = departmentId != null ? await departmentScope(db, departmentId) : user.regionScope;
  const [row] = await queryRows<UserRow>(
    db,
    sql`INSERT INTO users (username, display_name, role, region_scope, department_id, password_hash)
        VALUES (${user.username}, ${user.displayName}, ${user.role}, ${scope}, ${departmentId}, ${hash})
        RETURNING ${COLUMNS}`,
  );
  return row!;
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  regionScope?: string | null;
  /** A number makes the scope that department's county; null clears it (with the role's change). */
  departmentId?: number | null;
  disabled?: boolean;
  password?: string;
}

export async function updateUser(db: Executor, id: number, changes: UserChanges): Promise<UserRow | null> {
  const sets = [];
  if (changes.displayName !== undefined) sets.push(sql`display_name = ${changes.displayName}`);
  if (changes.role !== undefined) sets.push(sql`role = ${changes.role}`);
  if (changes.departmentId != null) {
    sets.push(sql`region_scope = ${await departmentScope(db, changes.departmentId)}`);
    sets.push(sql`department_id = ${changes.departmentId}`);
  } else {
    if (changes.regionScope !== undefined) sets.push(sql`region_scope = ${changes.regionScope}`);
    if (changes.departmentId === null) sets.push(sql`department_id = NULL`);
  }
  if (changes.disabled !== undefined) sets.push(sql`disabled = ${changes.disabled}`);
  if (changes.password !== undefined) sets.push(sql`password_hash = ${await hashPassword(changes.password)}`);
  if (sets.length === 0) return findUserById(db, id);
  const before = await findUserById(db, id);
  const [row] = await queryRows<UserRow>(
    db,
    sql`UPDATE users SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING ${COLUMNS}`,
  );
  // What the user may do changed: every token they hold ends now (the caller's transaction, if any).
  if (
    before &&
    row &&
    (changes.password !== undefined ||
      row.role !== before.role ||
      row.regionScope !== before.regionScope ||
      row.departmentId !== before.departmentId ||
      (row.disabled && !before.disabled))
  )
    await revokeUserSessions(db, id);
  return row ?? null;
}

/**
 * Checks a user as it will be stored (for the API and the command line alike); throws a
 * BAD_USER_INPUT SupervisionError naming the field. The password is checked only when given.
 */
export function checkUser(user: {
  username: string;
  displayName: string;
  role: string;
  regionScope?: string | null;
  departmentId?: number | null;
  password?: string | null;
}): Omit<NewUser, 'password'> & { password: string | null } {
  const bad = (field: string, message: string) => new SupervisionError('BAD_USER_INPUT', field, message);
  if (!/^[a-z0-9._-]{3,40}$/.test(user.username))
    throw bad('username', 'must be 3–40 characters of a–z, 0–9, ".", "_" or "-"');
  if (!(ROLES as readonly string[]).includes(user.role)) throw bad('role', `unknown role "${user.role}"`);
  const scope = user.regionScope?.trim() || null;
  if (scope && !/^\d{2}(\d{2}(\d{2})?)?$/.test(scope))
    throw bad('regionScope', `"${scope}" is not a 2-, 4- or 6-digit region code`);
  if (user.role === 'supervisor' && !scope) throw bad('regionScope', 'a supervisor needs a region scope');
  if (user.role !== 'supervisor' && scope)
    throw bad(
      'regionScope',
      user.role === 'department'
        ? "a department user's scope is their department's county; give departmentId only"
        : `only supervisors have a scope, not ${user.role}`,
    );
  const departmentId = user.departmentId ?? null;
  if (user.role === 'department' && departmentId == null)
    throw bad('departmentId', 'a department user belongs to a department: give departmentId');
  if (user.role !== 'department' && departmentId != null)
    throw bad('departmentId', `only department users belong to a department, not ${user.role}`);
  const displayName = user.displayName.trim();
  if (!displayName || displayName.length > 50) throw bad('displayName', 'must be 1–50 characters');
  if (user.password != null) {
    const problem = passwordProblem(user.password);
    if (problem) throw bad('password', problem);
  }
  return {
    username: user.username,
    displayName,
    role: user.role as Role,
    regionScope: scope,
    departmentId,
    password: user.password ?? null,
  };
}
