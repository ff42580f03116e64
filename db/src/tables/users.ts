import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const ROLES = ['leader', 'analyst', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * People who log in. A supervisor writes supervision data only where a county code starts with
 * their region scope (e.g. "5134" for a prefecture); other roles have no scope.
 */
export const users = pgTable(
  'users',
  {
    id: serial().primaryKey(),
    username: text().notNull().unique(),
    displayName: text().notNull(),
    role: text({ enum: ROLES }).notNull(),
    regionScope: text(),
    /** scrypt$N$r$p$salt$hash (see passwords.ts); never returned by the API. */
    passwordHash: text().notNull(),
    disabled: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('users_scope_of_supervisors', sql`(${t.role} = 'supervisor') = (${t.regionScope} IS NOT NULL)`),
    check(
      'users_scope_is_a_code_prefix',
      sql`${t.regionScope} IS NULL OR ${t.regionScope} ~ '^[0-9]{2}([0-9]{2}([0-9]{2})?)?$'`,
    ),
  ],
);
