// The child process that makes the demo's monitored households as COPY text (households-copy.ts)
// and sends the pieces to the demo load (households-from-child.ts): the parent copies them into
// the database while this process makes the next ones.
import {
  HOUSEHOLDS_CHILD_ARG,
  type HouseholdsMessage,
  type HouseholdsRequest,
  householdCopyPieces,
  PIECE_COPIED,
} from './households-copy.ts';

/**
 * Pieces sent and not yet copied by the parent at most: each is some megabytes of the parent's
 * memory (it reads every message as it comes) until its database has copied it.
 */
const AHEAD = 4;

let notCopied = 0;
let wake: (() => void) | null = null;

function send(message: HouseholdsMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send!(message, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

async function run({ seed, counts }: HouseholdsRequest): Promise<void> {
  const pieces = householdCopyPieces(seed, counts);
  for (;;) {
    const next = pieces.next();
    if (next.done) {
      await send({ households: next.value });
      return;
    }
    while (notCopied >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
    notCopied++;
    await send(next.value);
  }
}

// Only when started as the households' child: a process that imported this file by mistake and
// has an IPC channel of its own (a test runner's worker) must not take its messages.
if (process.send && process.argv.includes(HOUSEHOLDS_CHILD_ARG)) {
  // The parent went away (stopped mid-load): nothing left to make the pieces for.
  process.once('disconnect', () => process.exit(0));
  process.on('message', (message: HouseholdsRequest | typeof PIECE_COPIED) => {
    if (message === PIECE_COPIED) {
      notCopied--;
      wake?.();
      wake = null;
      return;
    }
    run(message).then(
      () => process.disconnect(),
      (error: unknown) => {
        console.error("the demo households' child process failed:", error);
        process.exit(1);
      },
    );
  });
}
