// `pnpm start` builds the web app beside the server's own start (opening the database, and on a
// first start preparing the geography) rather than before it: the few seconds of `vite build`
// are then off the way to the first map. The server answers only once the build is done.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
/** vite's own script, run by this Node: no package manager needed on PATH. */
const VITE = fileURLToPath(new URL('../../web/node_modules/vite/bin/vite.js', import.meta.url));

/** Runs `vite build` in web/ (what `pnpm --filter @rrm/web build` runs); rejects, naming the exit code, when it fails. */
export function buildWebApp(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITE, 'build'], { cwd: WEB, stdio: 'inherit' });
    child.once('error', (error) => reject(new Error(`could not build the web app: ${error.message}`)));
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`building the web app failed (${signal ?? `exit code ${code}`}); its output is above`),
          ),
    );
  });
}
