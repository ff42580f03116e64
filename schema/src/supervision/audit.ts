// The audit log through the API: admins read it, newest first, with filters; nothing writes it
// here (every write appends its own entry, db/src/supervision/audit.ts), and no mutation changes
// or deletes it.
import {
  AUDIT_ACTIONS,
  AUDIT_TARGET_KINDS,
  type AuditAction,
  type AuditRow,
  type AuditTargetKind,
  readAudit,
} from '@rrm/db';
import { requireRole } from '../auth/policy.ts';
import { builder } from '../builder.ts';
import { queryCost, SCAN_COST, sized } from '../cost.ts';
import { badInput } from '../errors.ts';
import { regionCodePrefix } from '../inputs.ts';
import { FieldChangeRef, fieldChangeList } from './problems.ts';
import { text } from './workflow.ts';

export const MAX_AUDIT_PAGE = 500;

/** `login.succeeded` → LOGIN_SUCCEEDED (GraphQL names have no dots). */
const enumName = (value: string) => value.toUpperCase().replace(/\./g, '_');

const AuditActionEnum = builder.enumType('AuditAction', {
  description: 'What a write did: <record>.<act>.',
  values: Object.fromEntries(AUDIT_ACTIONS.map((a) => [enumName(a), { value: a, description: a }])) as Record<
    string,
    { value: AuditAction; description: string }
  >,
});

const AuditTargetKindEnum = builder.enumType('AuditTargetKind', {
  description: 'The kind of record a write changed.',
  values: Object.fromEntries(AUDIT_TARGET_KINDS.map((k) => [enumName(k), { value: k }])) as Record<
    string,
    { value: AuditTargetKind }
  >,
});

const AuditEntryRef = builder.objectRef<AuditRow>('AuditEntry').implement({
  description: 'One write, as the audit log keeps it (append-only: never changed or deleted).',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Entry number; larger is later.' }),
    at: t.exposeString('at', { description: 'When (ISO 8601, UTC, to the millisecond).' }),
    userId: t.exposeInt('userId', {
      nullable: true,
      description:
        'The user’s number (null: a failed login of an unknown name, the command line, the daily job).',
    }),
    username: t.exposeString('username', {
      nullable: true,
      description:
        'Who: the user’s login name, cli:<os user> for the command line, system:reminders for the daily job; null for a failed login of a name that is no user’s (its note has a hash of the name).',
    }),
    action: t.field({ type: AuditActionEnum, description: 'What.', resolve: (e) => e.action }),
    targetKind: t.field({
      type: AuditTargetKindEnum,
      nullable: true,
      description: 'The kind of record written.',
      resolve: (e) => e.targetKind,
    }),
    targetId: t.exposeString('targetId', { nullable: true, description: 'Its number.' }),
    regionCode: t.exposeString('regionCode', {
      nullable: true,
      description: 'The county of the record (an import: the importer’s region; null: everywhere).',
    }),
    changes: t.field({
      type: [FieldChangeRef],
      // A user has five audited fields, a problem six and its status, a listing four.
      ...sized(8),
      description: 'The fields it changed, each from → to (never a password).',
      resolve: (e) => fieldChangeList(e.changes),
    }),
    note: t.exposeString('note', { nullable: true, description: 'What else it says: a reason, a count.' }),
    clientAddress: t.exposeString('clientAddress', {
      nullable: true,
      description: 'The client’s address as the server saw it (behind a proxy: as TRUST_PROXY lets it).',
    }),
  }),
});

const AuditPageRef = builder
  .objectRef<{ entries: AuditRow[]; nextBefore: number | null }>('AuditPage')
  .implement({
    description: 'A page of the audit log, newest first.',
    fields: (t) => ({
      entries: t.field({
        type: [AuditEntryRef],
        // Costed as a full page, whatever `first` asked.
        ...sized(MAX_AUDIT_PAGE),
        description: 'The entries.',
        resolve: (p) => p.entries,
      }),
      nextBefore: t.exposeInt('nextBefore', {
        nullable: true,
        description: 'Pass as `before` for the next (older) page; null on the last page.',
      }),
    }),
  });

const AuditFilterInput = builder.inputType('AuditFilter', {
  description: 'Which entries; every given condition must hold.',
  fields: (t) => ({
    username: t.string({ required: false, description: 'Who (exact login name, or cli:<os user>).' }),
    actions: t.field({ type: [AuditActionEnum], required: false, description: 'Any of these acts.' }),
    targetKind: t.field({ type: AuditTargetKindEnum, required: false, description: 'Kind of record.' }),
    targetId: t.string({ required: false, description: 'With targetKind: that record’s number.' }),
    regionCode: t.string({
      required: false,
      description: 'Writes in counties under this region (2, 4 or 6 digits).',
    }),
    from: t.string({ required: false, description: 'At or after this instant (ISO 8601).' }),
    to: t.string({ required: false, description: 'Before this instant (ISO 8601).' }),
    clientAddress: t.string({ required: false, description: 'From this client address.' }),
  }),
});

/** An ISO 8601 instant with its zone (or a date, read as midnight UTC), as the canonical text. */
function instant(argument: string, value: string | null | undefined): string | null {
  if (value == null || value === '') return null;
  const ok =
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(value) &&
    !Number.isNaN(Date.parse(value)) &&
    // A day that is not on the calendar (02-30) is not rolled over into the next month.
    new Date(Date.parse(`${value.slice(0, 10)}T00:00:00Z`)).toISOString().startsWith(value.slice(0, 10));
  if (!ok)
    throw badInput(
      argument,
      `"${value.slice(0, 40)}" is not an ISO 8601 instant (2026-12-01T08:00:00+08:00)`,
    );
  return new Date(value).toISOString();
}

builder.queryField('auditLog', (t) =>
  t.field({
    type: AuditPageRef,
    // A filter that matches little may read far back: costed as a scan.
    ...queryCost(SCAN_COST),
    description: `The audit log (admins only): every write — problems, listings, inspections, users, departments, imports, logins and failed logins — newest first, at most ${MAX_AUDIT_PAGE} a page.`,
    args: {
      filter: t.arg({ type: AuditFilterInput, required: false }),
      first: t.arg.int({ required: false, description: `How many, 1–${MAX_AUDIT_PAGE} (default 100).` }),
      before: t.arg.int({
        required: false,
        description: 'Entries older than this one (a page’s nextBefore).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      requireRole(ctx.viewer, ['admin'], 'auditLog');
      const first = args.first ?? 100;
      if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE)
        throw badInput('first', `must be 1–${MAX_AUDIT_PAGE}, got ${first}`);
      if (args.before != null && (!Number.isInteger(args.before) || args.before < 1))
        throw badInput('before', `must be an entry number, got ${args.before}`);
      const f = args.filter ?? {};
      if (f.actions && f.actions.length > AUDIT_ACTIONS.length)
        throw badInput('filter.actions', `at most ${AUDIT_ACTIONS.length} actions, got ${f.actions.length}`);
      if (f.targetId && !f.targetKind) throw badInput('filter.targetId', 'give targetKind with targetId');
      const from = instant('filter.from', f.from);
      const to = instant('filter.to', f.to);
      if (from && to && to <= from) throw badInput('filter.to', `${f.to} is not after ${f.from}`);
      const entries = await readAudit(
        ctx.database.db,
        {
          username: text('filter.username', f.username, 100, false),
          actions: f.actions ?? null,
          targetKind: f.targetKind ?? null,
          targetId: text('filter.targetId', f.targetId, 64, false),
          region: regionCodePrefix('filter.regionCode', f.regionCode, [2, 4, 6]),
          from,
          to,
          clientAddress: text('filter.clientAddress', f.clientAddress, 100, false),
        },
        { limit: first + 1, beforeId: args.before ?? null },
      );
      const more = entries.length > first;
      if (more) entries.length = first;
      return { entries, nextBefore: more ? entries[entries.length - 1]!.id : null };
    },
  }),
);
