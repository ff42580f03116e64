// The geography build in a child process, so that a first start prepares it on one core while
// the other opens the database and runs the migrations (some 20 s on PGlite) instead of after.
// The child runs `ensureGeography` (build-process.ts); the parent waits for it before the demo
// load reads the cache. Only one builder writes the cache at a time: the parent calls
// `ensureGeography` only once the child has exited (and rebuilds then only if the child failed).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { geographyIsCurrent } from './build.ts';

export interface BackgroundBuild {
  /** Resolves when the child has exited, whatever its outcome (the load checks the cache itself). */
  finished: Promise<void>;
  /** Stops the build (the database already holds data: the cache is not needed now). */
  stop(): void;
}

/** Starts building the geography cache in a child process, unless it is current already. */
export function buildGeographyInBackground(): BackgroundBuild | null {
  if (geographyIsCurrent()) return null;
  // TypeScript through tsx, as `pnpm start` runs (resolved from the working directory, the
  // project's); not this process's flags, which may be a test runner's or an inspector's.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./build-process.ts', import.meta.url))],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const finished = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return { finished, stop: () => child.kill() };
}
