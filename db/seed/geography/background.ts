// The geography build in a child process, so that a first start prepares it on one core while
// the other creates the embedded database and runs the migrations (some 20 s on PGlite) instead
// of after. The child runs `ensureGeography` (build-process.ts) and sends the demo plan's inputs
// as soon as it knows them (planInputs): the load plans from those and waits for the child only
// when it needs the boundaries. Only one builder of this process tree writes the cache at a time:
// the parent calls `ensureGeography` only once the child has exited (and rebuilds then only if
// the child failed, saying why).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { geographyDir, geographyIsCurrent, type PlanInputs } from './build.ts';
import type { PlanInputsMessage } from './build-process.ts';
import { sourceCacheDir } from './sources.ts';

export interface BackgroundBuild {
  /** Resolves when the child has exited, whatever its outcome (the load checks the cache itself). */
  finished: Promise<void>;
  /**
   * What the demo's plan needs, as soon as the child knows it (before the boundaries are
   * simplified); null when the child ended without sending it (it failed, or found the cache current).
   */
  planInputs: Promise<PlanInputs | null>;
  /** Stops the build (the load will not happen: a failure, or nothing to load). */
  stop(): void;
}

/** The project's root, where tsx is installed (and `pnpm start` runs). */
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts building the geography cache in a child process, unless it is current already. */
export function buildGeographyInBackground(): BackgroundBuild | null {
  if (geographyIsCurrent()) return null;
  // TypeScript through tsx, run from the project's root so that `tsx` resolves wherever the
  // parent was started; the cache folders are passed as the parent resolved them (a default or
  // a relative setting depends on the working directory).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./build-process.ts', import.meta.url))],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        GEO_CACHE_DIR: resolve(geographyDir()),
        RRM_SOURCE_CACHE: resolve(sourceCacheDir()),
      },
      // A channel for the plan's inputs (half a million villages, sent as one JSON text; 'advanced'
      // passes it as it is, where 'json' would escape it again).
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    },
  );
  const finished = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const planInputs = new Promise<PlanInputs | null>((resolve) => {
    child.once('message', ({ regions, countiesWithBoundary, villagesJson }: PlanInputsMessage) =>
      resolve({ regions, countiesWithBoundary, villages: JSON.parse(villagesJson) }),
    );
    // 'close' comes after the last message ('exit' may come before a message still being read).
    child.once('close', () => resolve(null));
    child.once('error', () => resolve(null));
  });
  return {
    finished,
    planInputs,
    // The child's own npm, tar or mapshaper, if running, finish on their own. The data packages and
    // the geography go to folders of that child's, moved into place only when complete; mapshaper's
    // npm install writes into the cache's node_modules, marked installed only once it has finished
    // (sources.ts), so a start that comes before its end installs again.
    stop: () => child.kill(),
  };
}
