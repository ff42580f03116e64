// The child process that makes the demo's monitored households as COPY text (households-copy.ts)
// and sends the pieces to the demo load (households-process.ts), a few pieces ahead of it: the
// parent copies them into the database while this process makes the next.

import type { MonitoredCounts } from './households.ts';
import { type HouseholdPiece, householdCopyPieces } from './households-copy.ts';

/**
 * Pieces sent and not yet read by the parent at most: each is some megabytes of this process's
 * memory while the parent's database copies the one before.
 */
const AHEAD = 8;

export interface HouseholdsRequest {
  seed: number;
  counts: MonitoredCounts[];
}
export type HouseholdsMessage = HouseholdPiece | { households: number };

function send(message: HouseholdsMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send!(message, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

async function run({ seed, counts }: HouseholdsRequest): Promise<void> {
  const sent: Array<Promise<void>> = [];
  const pieces = householdCopyPieces(seed, counts);
  for (;;) {
    const next = pieces.next();
    if (next.done) {
      await Promise.all(sent);
      await send({ households: next.value });
      return;
    }
    sent.push(send(next.value));
    // The callback of a send comes once the parent has read the message off the channel.
    if (sent.length >= AHEAD) await sent.shift();
  }
}

if (process.send) {
  process.once('message', (request: HouseholdsRequest) => {
    run(request).then(
      () => process.disconnect(),
      (error: unknown) => {
        console.error('households: generating failed:', error);
        process.exit(1);
      },
    );
  });
}
