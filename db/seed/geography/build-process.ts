// The child process of background.ts: builds the geography cache if it is not current, and sends
// the demo plan's inputs to the parent as soon as they are known (before the boundaries are
// simplified), so that the parent's load can begin meanwhile.
import { ensureGeography, type PlanInputs } from './build.ts';

/** The message the parent receives: the plan's inputs. */
export interface PlanInputsMessage {
  planInputs: PlanInputs;
}

try {
  await ensureGeography(
    (line) => console.log(`geography: ${line}`),
    (planInputs) => process.send?.({ planInputs } satisfies PlanInputsMessage),
  );
} catch (error) {
  // The parent builds again in its own process when it needs the cache, and reports there.
  console.error(
    `geography: the background build failed (${(error as Error).message}); trying again when needed`,
  );
  process.exitCode = 1;
}
// The channel to the parent would keep this process alive.
process.disconnect?.();
