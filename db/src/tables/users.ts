import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { departments } from './supervision.ts';

export const ROLES = ['leader', 'analyst', 'supervisor', 'department', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * People who log in. A supervisor writes supervision data only where a county code starts with
 * their region scope (e.g. "5134" for a prefecture). A department user belongs to one department
 * (责任单位) of one county: their scope is that county, and they see and act on that department's
 * problems only. Other roles have no scope.
 */
export const users = pgTable(
  'users',
  {
    id: serial().primaryKey(),
    username: text().notNull().unique(),
    displayName: text().notNull(),
    role: text({ enum: ROLES }).notNull(),
    regionScope: text(),
    /** For the department role: the department they act for. */
    departmentId: integer().references(() => departments.id),
    /** scrypt$N$r$p$salt$hash (see passwords.ts); never returned by the API. */
    passwordHash: text().notNull(),
    disabled: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'users_scope_of_supervisors',
      sql`(${t.role} IN ('supervisor', 'department')) = (${t.regionScope} IS NOT NULL)`,
    ),
    check(
      'users_department_of_department_users',
      sql`(${t.role} = 'department') = (${t.departmentId} IS NOT NULL)`,
    ),
    check(
      'users_scope_is_a_code_prefix',
      sql`${t.regionScope} IS NULL OR ${t.regionScope} ~ '^[0-9]{2}([0-9]{2}([0-9]{2})?)?$'`,
    ),
  ],
);
