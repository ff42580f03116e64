// The audit log (migration 0013): one append-only row per write (and per read of monitored
// households' rows, #17) — who, when, what, from → to, and
// the client's address. Writes append in their own transaction, so an entry exists exactly when
// its write does; a failed login has no transaction and appends on its own. Only admins read it
// (schema/src/supervision/audit.ts); nothing in the product updates or deletes it, and the
// database refuses it if anything tries.
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';

/** Every kind of write the log records, as `<what>.<act>`. */
export const AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'logout',
  'user.created',
  'user.updated',
  'department.created',
  'department.updated',
  'listing.listed',
  'listing.lifted',
  'listing.closed',
  'inspection.recorded',
  'problem.reported',
  'problem.signed',
  'problem.started',
  'problem.rectified',
  'problem.closed',
  'problem.returned',
  'problem.reopened',
  'problem.reassigned',
  'problem.deadline',
  'problem.edited',
  'problem.evidence',
  'evidence.uploaded',
  'import.applied',
  'import.rolled_back',
  'reminders.recorded',
  'monitoring_line.set',
  'household.risk_removed',
  'household.reidentified',
  'household.measure_added',
  'household.measure_ended',
  'households.read',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGET_KINDS = [
  'user',
  'department',
  'listing',
  'inspection',
  'problem',
  'import',
  'evidence',
  'monitoring_line',
  'household',
] as const;
export type AuditTargetKind = (typeof AUDIT_TARGET_KINDS)[number];

/** Who writes: a user, cli:<os user>, system:reminders (null for a failed login of no user), and from where. */
export interface AuditWho {
  userId: number | null;
  username: string | null;
  clientAddress?: string | null;
}

/** The importer as the audit log names them: a user by name ("user:" dropped), or "cli:<os user>". */
export function importAuditWho(options: {
  who: string;
  userId?: number | null;
  clientAddress?: string | null;
}): AuditWho {
  return {
    userId: options.userId ?? null,
    username: options.who.startsWith('user:') ? options.who.slice('user:'.length) : options.who,
    clientAddress: options.clientAddress ?? null,
  };
}

/** A field's value before and after, as the problem history keeps them. */
export type AuditChanges = Record<string, { from: unknown; to: unknown }>;

export interface AuditEntry {
  action: AuditAction;
  targetKind?: AuditTargetKind | null;
  targetId?: string | number | null;
  /** The county the write is in (or the region of an import), when it is in one: admins filter by region. */
  regionCode?: string | null;
  changes?: AuditChanges | null;
  note?: string | null;
}

/** Appends one entry. In a write's transaction: it is kept exactly when the write is. */
export async function appendAudit(tx: Executor, who: AuditWho, entry: AuditEntry): Promise<void> {
  const changes = entry.changes && Object.keys(entry.changes).length ? JSON.stringify(entry.changes) : null;
  await tx.execute(sql`INSERT INTO audit_log (user_id, username, action, target_kind, target_id, region_code,
      changes, note, client_address)
    VALUES (${who.userId}, ${who.username?.slice(0, 100) ?? null}, ${entry.action}, ${entry.targetKind ?? null},
      ${entry.targetId == null ? null : String(entry.targetId)}, ${entry.regionCode ?? null},
      ${changes}::jsonb, ${entry.note?.slice(0, 500) ?? null}, ${who.clientAddress?.slice(0, 100) ?? null})`);
}

/** The from → to of the fields whose value differs (both sides as given; undefined is skipped). */
export function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): AuditChanges {
  const changes: AuditChanges = {};
  for (const [field, to] of Object.entries(after)) {
    const from = before[field];
    if (to !== undefined && JSON.stringify(from ?? null) !== JSON.stringify(to ?? null))
      changes[field] = { from: from ?? null, to: to ?? null };
  }
  return changes;
}

export interface AuditFilter {
  username?: string | null;
  actions?: readonly AuditAction[] | null;
  targetKind?: AuditTargetKind | null;
  targetId?: string | null;
  /** A region code (2, 4 or 6 digits): entries in counties under it. */
  region?: string | null;
  /** ISO instants, from inclusive, to exclusive. */
  from?: string | null;
  to?: string | null;
  clientAddress?: string | null;
}

export interface AuditRow {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: AuditAction;
  targetKind: AuditTargetKind | null;
  targetId: string | null;
  regionCode: string | null;
  changes: AuditChanges | null;
  note: string | null;
  clientAddress: string | null;
}

/**
 * A page of the log, newest first: at most `limit` entries with ids below `beforeId`. The user,
 * action, record, region and address filters have indexes ending in the id, so a page of them is
 * an index range; a time range alone walks back by id to it.
 */
export function readAudit(
  db: Executor,
  filter: AuditFilter,
  page: { limit: number; beforeId?: number | null },
): Promise<AuditRow[]> {
  const where: SQL[] = [];
  if (page.beforeId != null) where.push(sql`id < ${page.beforeId}`);
  if (filter.username) where.push(sql`username = ${filter.username}`);
  if (filter.actions?.length)
    where.push(
      sql`action IN (${sql.join(
        filter.actions.map((a) => sql`${a}`),
        sql`, `,
      )})`,
    );
  if (filter.targetKind) where.push(sql`target_kind = ${filter.targetKind}`);
  if (filter.targetId) where.push(sql`target_id = ${filter.targetId}`);
  // LIKE on a prefix of digits (checked by the caller) uses the text_pattern_ops index.
  if (filter.region) where.push(sql`region_code LIKE ${`${filter.region}%`}`);
  if (filter.from) where.push(sql`at >= ${filter.from}::timestamptz`);
  if (filter.to) where.push(sql`at < ${filter.to}::timestamptz`);
  if (filter.clientAddress) where.push(sql`client_address = ${filter.clientAddress}`);
  return queryRows<AuditRow>(
    db,
    sql`SELECT id::int AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
          user_id AS "userId", username, action, target_kind AS "targetKind", target_id AS "targetId",
          region_code AS "regionCode", changes, note, client_address AS "clientAddress"
        FROM audit_log ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
        ORDER BY id DESC LIMIT ${page.limit}`,
  );
}
