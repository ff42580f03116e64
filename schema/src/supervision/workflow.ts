// What every supervision write shares: the writer check, the input checks, the one-transaction write
// that turns a refusal into a coded GraphQL error, and the Mutation type itself.
import {
  findListings,
  HouseholdsStillLoading,
  type ListingRow,
  lockDataset,
  type reportProblem,
  SupervisionError,
} from '@rrm/db';
import { GraphQLError } from 'graphql';
import { requireProblemActor, requireWriter } from '../auth/policy.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { badInput } from '../errors.ts';
import { stillLoading } from '../monitoring/loading.ts';

builder.mutationType({ description: 'Writes: login, the supervision workflow and user management.' });

/** Text that must be present and not too long; trimmed. */
export function text(
  field: string,
  value: string | null | undefined,
  max: number,
  required = true,
): string | null {
  const trimmed = value?.trim() ?? '';
  if (!trimmed) {
    if (required) throw badInput(field, 'must not be empty');
    return null;
  }
  if (trimmed.length > max) throw badInput(field, `at most ${max} characters, got ${trimmed.length}`);
  return trimmed;
}

/** An ISO date (YYYY-MM-DD) that exists on the calendar. */
export function checkDate(argument: string, value: string | null | undefined): string | null {
  if (value == null || value === '') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value)
    throw badInput(argument, `"${value}" is not a date (YYYY-MM-DD)`);
  return value;
}

export function requiredDate(field: string, value: string): string {
  const date = checkDate(field, value);
  if (!date) throw badInput(field, 'must be a date (YYYY-MM-DD)');
  return date;
}

export function count(field: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw badInput(field, `must be 0–${max}, got ${value}`);
  return value;
}

export function id(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw badInput(field, `must be a positive id, got ${value}`);
  return value;
}

export function idempotencyKey(value: string | null | undefined): string | null {
  return text('input.idempotencyKey', value, 100, false);
}

/** The caller as the data layer's writes see it: who, and whether they may write a county. */
export type Writer = Parameters<typeof reportProblem>[1];

/** Checks first that the viewer may write supervision data at all (a supervisor or an admin). */
export function writer(ctx: Context, what: string): Writer {
  const { user, authorize } = requireWriter(ctx.viewer, what);
  return { userId: user.id, username: user.username, authorize, clientAddress: clientAddress(ctx) };
}

/** A writer of a problem's own moves: a supervision writer, or a user of the problem's department. */
export function problemActor(ctx: Context, what: string): Writer {
  const { user, authorize, departmentId } = requireProblemActor(ctx.viewer, what);
  return {
    userId: user.id,
    username: user.username,
    authorize,
    departmentId,
    clientAddress: clientAddress(ctx),
  };
}

const clientAddress = (ctx: Context) => ctx.http?.clientAddress ?? null;

/** A logged-in user as the audit log names them (admin writes that take no Writer). */
export function auditWhoOf(ctx: Context, user: { id: number; username: string }) {
  return { userId: user.id, username: user.username, clientAddress: clientAddress(ctx) };
}

/** The transaction a write runs in. */
export type Transaction = Parameters<Parameters<Context['database']['db']['transaction']>[0]>[0];

/** Runs a write in one transaction and turns a refusal into a coded GraphQL error. */
export async function write<T>(ctx: Context, work: (tx: Transaction) => Promise<T>) {
  try {
    return await ctx.database.db.transaction(async (tx) => {
      // The dataset row first, as an import does (then rows): no crosswise waits.
      await lockDataset(tx);
      return work(tx);
    });
  } catch (error) {
    if (error instanceof HouseholdsStillLoading) throw stillLoading();
    if (error instanceof SupervisionError) {
      throw new GraphQLError(error.message, {
        extensions: { code: error.code, ...(error.field ? { argument: error.field } : {}), ...error.details },
      });
    }
    throw error;
  }
}

/** The listing a write just touched, as reads show it. */
export async function oneListing(ctx: Context, listingId: number): Promise<ListingRow> {
  const [row] = await findListings(ctx.database.db, { ids: [listingId] });
  if (!row) throw new GraphQLError(`there is no listing ${listingId}`, { extensions: { code: 'NOT_FOUND' } });
  return row;
}
