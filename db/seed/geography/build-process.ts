// The child process of background.ts: builds the geography cache if it is not current.
import { ensureGeography } from './build.ts';

try {
  await ensureGeography((line) => console.log(`geography: ${line}`));
} catch (error) {
  // The parent builds again in its own process when it needs the cache, and reports there.
  console.error(
    `geography: the background build failed (${(error as Error).message}); trying again when needed`,
  );
  process.exitCode = 1;
}
