// "Still loading": the monitored households of a first start land a minute after the map
// (db/seed/pending-households.ts). Until then every field that reads them answers this coded error
// instead of counting from empty tables (db/src/monitoring/pending.ts).
import { HOUSEHOLD_INDICATORS, HOUSEHOLDS_STILL_LOADING, type Indicator, STILL_LOADING } from '@rrm/db';
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
  if (indicators.some((i) => i != null && HOUSEHOLD_INDICATORS.includes(i as Indicator)))
    await requireHouseholds(ctx);
}
