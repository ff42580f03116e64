// The child process of background.ts: builds the geography cache if it is not current, and sends
// the demo plan's inputs to the parent as soon as they are known (before the boundaries are
// simplified), so that the parent's load can begin meanwhile.
import { ensureGeography, type PlanInputs } from './build.ts';

/**
 * The message the parent receives: the plan's inputs, the half million villages as one JSON text
 * (sent as structured objects they took some 14 s to pass, beside mapshaper; as text, under one).
 */
export interface PlanInputsMessage {
  regions: PlanInputs['regions'];
  countiesWithBoundary: string[];
  villagesJson: string;
}

try {
  await ensureGeography(
    (line) => console.log(`geography: ${line}`),
    ({ regions, countiesWithBoundary, villages }) =>
      new Promise<void>((resolve) => {
        const message: PlanInputsMessage = {
          regions,
          countiesWithBoundary,
          villagesJson: JSON.stringify(villages),
        };
        // Without a parent to send to, or if the send fails, the parent plans from the cache later.
        // (send's result only says whether more may be queued: a big message answers false.)
        if (process.send) process.send(message, () => resolve());
        else resolve();
      }),
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
