// "Still loading": the monitored households of a first start land a minute after the map
// (db/seed/pending-households.ts). Until then every field that reads them answers this coded error
// instead of counting from empty tables (db/src/monitoring/pending.ts).
import { HOUSEHOLDS_STILL_LOADING, type Indicator, isHouseholdIndicator, STILL_LOADING } from '@rrm/db';
import { GraphQLError } from 'graphql';
import type { Context } from '../context.ts';

/** The error a household field answers while the households are being loaded. */
export function stillLoading(): GraphQLError {
  return new GraphQLError(HOUSEHOLDS_STILL_LOADING, { extensions: { code: STILL_LOADING } });
}

/** Throws the "still loading" error while the households are being loaded (the request's dataset read). */
export async function requireHouseholds(ctx: Context): Promise<void> {
  if ((await ctx.loaders.dataset())?.householdsPending) throw stillLoading();
}

/**
 * For lists that may filter or order by an indicator: throws "still loading" when one counted from
 * the households (RISK_REMOVED_SHARE, HOUSEHOLDS_UNDER_LINE) is asked for while they are loading.
 */
export async function requireHouseholdsFor(
  ctx: Context,
  ...indicators: ReadonlyArray<Indicator | string | null | undefined>
): Promise<void> {
  if (indicators.some(isHouseholdIndicator)) await requireHouseholds(ctx);
}

/** The requests whose household figure has already answered "still loading" once. */
const reported = new WeakSet<Context>();

/**
 * For a nullable figure that a request may read on thousands of rows (every county's series):
 * while the households are loading, the first such field answers the error and the others null —
 * one error says it, not one per row. False once they are in.
 */
export async function nullWhileLoading(ctx: Context): Promise<boolean> {
  if (!(await ctx.loaders.dataset())?.householdsPending) return false;
  if (reported.has(ctx)) return true;
  reported.add(ctx);
  throw stillLoading();
}
