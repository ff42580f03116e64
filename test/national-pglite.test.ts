import { describe } from 'vitest';
import { NATIONAL_ENABLED, NATIONAL_SKIP_REASON, nationalChecks } from './support/national.ts';

const skip = NATIONAL_ENABLED ? false : NATIONAL_SKIP_REASON;

describe.skipIf(skip)(
  `national demo data on PGlite${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 120_000 },
  () => {
    nationalChecks('pglite');
  },
);
