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
 * Why a login must be refused under the demo rule, or null when it may go on to the password check:
 * in production, no demo user and no user with the demo password; on data that is not the demo
 * dataset (kind "imported", or none), no demo user either.
 */
export function demoLoginRefusal(
  login: { username: string; password: string },
  where: { production: boolean; datasetKind: 'demo' | 'imported' | null },
): string | null {
  const howToFix =
    'create a real user with `pnpm users create --username NAME --name NAME --role ROLE` (see README, Supervision)';
  if (where.production && isDemoUsername(login.username))
    return `demo user "${login.username}" cannot log in in production (NODE_ENV=production): ${howToFix}`;
  if (where.production && login.password === DEMO_PASSWORD)
    return `the demo password cannot be used in production (NODE_ENV=production): set another password with \`pnpm users set-password --username ${login.username}\`, or ${howToFix}`;
  if (where.datasetKind !== 'demo' && isDemoUsername(login.username))
    return `demo user "${login.username}" can log in only on the demo dataset: ${howToFix}`;
  return null;
}
