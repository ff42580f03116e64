// Demo logins never reach production: the one rule, used by login (schema/src/supervision/users.ts), the
// seed (db/seed/load.ts) and the start-up check (server/src/main.ts).

/** The password every demo user has (README, "Demo credentials"). */
export const DEMO_PASSWORD = 'demo-password-2026';

/** The demo users' names (db/seed/users.ts); reserved: a real deployment uses other names. */
export const DEMO_USERNAMES: readonly string[] = [
  'leader',
  'analyst',
  'admin',
  'supervisor',
  'supervisor2',
  'department',
];

/** Whether this process runs in production (NODE_ENV=production). */
export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'production';
}

export function isDemoUsername(username: string): boolean {
  return DEMO_USERNAMES.includes(username);
}

/**
 * Whether the data loaded is the demo dataset and nothing else: demo kind, and no part imported
 * (db/src/imports/pipeline.ts records each imported part in details.parts; a rollback of a part's
 * only import removes it again). The published demo password opens a login only then: once a real
 * file is in, anyone who read the README could read and write real data with it.
 */
export function isDemoDataOnly(
  dataset: { kind: 'demo' | 'imported'; details: Record<string, unknown> } | null,
): boolean {
  if (dataset?.kind !== 'demo') return false;
  const parts = dataset.details.parts;
  return parts == null || (typeof parts === 'object' && Object.keys(parts).length === 0);
}

/** How to make a real user, for the refusals below and the start-up hint (server/src/main.ts). */
export const CREATE_REAL_USER =
  'create a real user with `pnpm users create --username NAME --name NAME --role ROLE` (see docs/supervision.md)';

/**
 * Why a login must be refused under the demo rule, or null when it may go on to the password check:
 *   - in production, no demo user and no user with the demo password;
 *   - on data that is not the demo dataset alone (see isDemoDataOnly), no login with the demo
 *     password. A demo user whose password an admin has changed is someone's real account by then,
 *     and logs in with it.
 */
export function demoLoginRefusal(
  login: { username: string; password: string },
  where: { production: boolean; demoDataOnly: boolean },
): string | null {
  const setPassword = `set a real password with \`pnpm users set-password --username ${login.username}\``;
  if (where.production && isDemoUsername(login.username))
    return `demo user "${login.username}" cannot log in in production (NODE_ENV=production): ${CREATE_REAL_USER}`;
  if (where.production && login.password === DEMO_PASSWORD)
    return `the demo password cannot be used in production (NODE_ENV=production): ${setPassword}, or ${CREATE_REAL_USER}`;
  if (!where.demoDataOnly && login.password === DEMO_PASSWORD)
    return `the demo password opens a login only on the demo dataset, before any real data is imported: ${setPassword}, or ${CREATE_REAL_USER}`;
  return null;
}
