import { describe } from 'vitest';
import { testBackends } from './support/databases.ts';
import { NATIONAL_ENABLED, NATIONAL_SKIP_REASON, nationalChecks } from './support/national.ts';

const postgres = testBackends().find((b) => b.name === 'postgres')!;
const skip = !NATIONAL_ENABLED ? NATIONAL_SKIP_REASON : postgres.skip;

describe.skipIf(skip)(
  `national demo data on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 120_000 },
  () => {
    nationalChecks('postgres');
  },
);
