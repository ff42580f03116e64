// Demo users, one per role and two supervisor scopes, created with the demo data. The README lists
// them as demo credentials; a real deployment creates its own (`pnpm users create`). Never created
// under NODE_ENV=production, and refused at login there (db/src/supervision/demo.ts).
import { sql } from 'drizzle-orm';
import type { Executor } from '../src/bulk.ts';
import { DEMO_PASSWORD } from '../src/supervision/demo.ts';
import { hashPassword } from '../src/supervision/passwords.ts';
import type { NewUser } from '../src/supervision/users.ts';

export { DEMO_PASSWORD };

/**
 * `supervisor` writes in the prefecture with the most listings; `supervisor2` in the busiest
 * prefecture of another province, or (when the data covers one province) a single listed county.
 */
export function demoUsers(listings: readonly { countyCode: string }[]): NewUser[] {
  const byPrefecture = new Map<string, number>();
  for (const l of listings)
    byPrefecture.set(l.countyCode.slice(0, 4), (byPrefecture.get(l.countyCode.slice(0, 4)) ?? 0) + 1);
  const ranked = [...byPrefecture.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const first = ranked[0]?.[0] ?? '52';
  const elsewhere = ranked.find(([code]) => code.slice(0, 2) !== first.slice(0, 2))?.[0];
  const counties = [...new Set(listings.map((l) => l.countyCode))].sort();
  const second = elsewhere ?? counties[counties.length - 1] ?? first;
  const user = (
    username: string,
    displayName: string,
    role: NewUser['role'],
    regionScope: string | null = null,
  ) => ({
    username,
    displayName,
    role,
    regionScope,
    password: DEMO_PASSWORD,
  });
  return [
    user('leader', '演示领导', 'leader'),
    user('analyst', '演示分析员', 'analyst'),
    user('admin', '演示管理员', 'admin'),
    user('supervisor', `演示督战员 ${first}`, 'supervisor', first),
    user('supervisor2', `演示督战员 ${second}`, 'supervisor', second),
  ];
}

/** Adds the demo users that do not exist yet (a reload keeps users, their passwords and any others). */
export async function createDemoUsers(tx: Executor, users: readonly NewUser[]): Promise<void> {
  for (const u of users) {
    await tx.execute(sql`INSERT INTO users (username, display_name, role, region_scope, password_hash)
      VALUES (${u.username}, ${u.displayName}, ${u.role}, ${u.regionScope}, ${await hashPassword(u.password)})
      ON CONFLICT (username) DO UPDATE SET region_scope = excluded.region_scope, display_name = excluded.display_name
      WHERE users.role = 'supervisor' AND excluded.role = 'supervisor'`);
  }
}
