export {
  ensureGeography,
  geographyFiles,
  type GeographyFiles,
  type RegionRecord,
  type CoverageReport,
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
export { NATIONAL, MEAN_INCOME, EMPLOYED, YEARS } from './calibration.ts';
