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
 * `department` acts for the department inside `supervisor`'s prefecture with the most problems
 * not yet closed, so that the two can be tried together (sign, rectify, verify).
 */
export function demoUsers(
  listings: readonly { countyCode: string }[],
  ledger: {
    departments: readonly { id: number; countyCode: string; name: string }[];
    problems: readonly { departmentId: number; status: string }[];
  } = { departments: [], problems: [] },
): NewUser[] {
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
  ): NewUser => ({
    username,
    displayName,
    role,
    regionScope,
    password: DEMO_PASSWORD,
  });
  const users = [
    user('leader', '演示领导', 'leader'),
    user('analyst', '演示分析员', 'analyst'),
    user('admin', '演示管理员', 'admin'),
    user('supervisor', `演示督战员 ${first}`, 'supervisor', first),
    user('supervisor2', `演示督战员 ${second}`, 'supervisor', second),
  ];
  const open = new Map<number, number>();
  for (const p of ledger.problems)
    if (p.status !== 'closed') open.set(p.departmentId, (open.get(p.departmentId) ?? 0) + 1);
  const [department] = ledger.departments
    .filter((d) => d.countyCode.startsWith(first) && open.has(d.id))
    .sort((a, b) => open.get(b.id)! - open.get(a.id)! || a.id - b.id);
  if (department)
    users.push({
      ...user(
        'department',
        `演示责任单位 ${department.countyCode} ${department.name}`,
        'department',
        department.countyCode,
      ),
      departmentId: department.id,
    });
  return users;
}

/** Adds the demo users that do not exist yet (a reload keeps users, their passwords and any others). */
export async function createDemoUsers(tx: Executor, users: readonly NewUser[]): Promise<void> {
  for (const u of users) {
    await tx.execute(sql`INSERT INTO users (username, display_name, role, region_scope, department_id, password_hash)
      VALUES (${u.username}, ${u.displayName}, ${u.role}, ${u.regionScope}, ${u.departmentId ?? null}, ${await hashPassword(u.password)})
      ON CONFLICT (username) DO UPDATE SET region_scope = excluded.region_scope, display_name = excluded.display_name
      WHERE users.role = 'supervisor' AND excluded.role = 'supervisor'`);
  }
}
