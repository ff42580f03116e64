export { EMPLOYED, MEAN_INCOME, NATIONAL, YEARS } from './calibration.ts';
export {
  type CoverageReport,
  ensureGeography,
  type GeographyFiles,
  geographyFiles,
  type RegionRecord,
} from './geography/build.ts';
export {
  DEFAULT_SEED,
  DEMO_LABEL,
  DEMO_SCALES,
  type DemoScale,
  type SeedOptions,
  type SeedSummary,
  seedDemoData,
} from './load.ts';
export { DEMO_PASSWORD, demoUsers } from './users.ts';
