// The demo's monitored households, made in a child process (households-child.ts) while the demo
// load copies the pieces already made: generating them and copying them took 17 s and 30 s of a
// national first start on PGlite, one after the other in its one thread. The child runs the same
// code (households-copy.ts) and makes the same bytes, in the same order.
import { fork } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { MonitoredCounts } from './households.ts';
import {
  HOUSEHOLDS_CHILD_ARG,
  type HouseholdPiece,
  type HouseholdsMessage,
  type HouseholdsRequest,
  PIECE_COPIED,
} from './households-copy.ts';

/** The project's root, where tsx is installed (as for the geography's child, geography/background.ts). */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./households-child.ts', import.meta.url));

/**
 * The households' COPY pieces, as the child makes them; returns how many households. The child
 * makes a piece only when fewer than a few are waiting to be copied: the caller asks for the next
 * piece once it has copied the last. Closing the generator early (a failed copy) stops the child;
 * a child that fails or ends early fails it.
 */
export async function* householdsFromChild(
  seed: number,
  counts: readonly MonitoredCounts[],
  options: { lowPriority?: boolean } = {},
): AsyncGenerator<HouseholdPiece, number> {
  if (counts.length === 0) return 0;
  const child = fork(CHILD, [HOUSEHOLDS_CHILD_ARG], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx'],
    // Buffers travel as bytes (the default, JSON, would spell them out as arrays of numbers).
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (options.lowPriority && child.pid !== undefined) {
    // Lowering one's own child's priority needs no privilege; where it is refused, it runs as is.
    try {
      setPriority(child.pid, constants.priority.PRIORITY_LOW);
    } catch {}
  }
  const received: HouseholdsMessage[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  child.on('message', (message: HouseholdsMessage) => {
    received.push(message);
    signal();
  });
  child.on('error', (error) => {
    failure ??= new Error(`the demo households' child process failed: ${error.message}`, { cause: error });
    signal();
  });
  // 'close' comes after the last message: a child that ends without its count has failed.
  child.once('close', (code, signal_) => {
    failure ??= new Error(
      `the demo households' child process ended (${signal_ ?? `exit code ${code}`}) before it had made them all (its own message, if any, is above)`,
    );
    signal();
  });
  try {
    const request: HouseholdsRequest = { seed, counts };
    child.send(request);
    for (;;) {
      const message = received.shift();
      if (message) {
        if ('households' in message) return message.households;
        yield message;
        // The caller has copied it: the child may make another.
        if (child.connected) child.send(PIECE_COPIED, () => {});
      } else if (failure) throw failure;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}
