import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * Login sessions (migration 0003, hand-written). A token carries its session id; it is accepted only
 * while the session exists, is not revoked and has not expired. A password, role or scope change,
 * disabling the user, or a logout revokes sessions.
 */
export const sessions = pgTable(
  'sessions',
  {
    /** 128 random bits, base64url. */
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    clientAddress: text(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId).where(sql`${t.revokedAt} IS NULL`)],
);
