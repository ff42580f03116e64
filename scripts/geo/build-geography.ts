// Builds (or rebuilds with --force) the demo geography cache: `pnpm geo:build`.
import { rmSync } from 'node:fs';
import { ensureGeography, geographyFiles } from '@rrm/db/seed';

if (process.argv.includes('--force')) rmSync(geographyFiles().report, { force: true });
const files = await ensureGeography();
console.log(`geography in ${files.dir}`);
