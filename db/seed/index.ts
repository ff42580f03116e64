export {
  COUNTY_EXIT_YEARS,
  EMPLOYED,
  KEY_ASSISTANCE_BY_PROVINCE,
  MEAN_INCOME,
  NATIONAL,
  POVERTY_COUNTIES_BY_PROVINCE,
  SUPERVISED_COUNTIES_BY_PROVINCE,
  YEARS,
} from './calibration.ts';
export {
  type CountyDesignation,
  type CountyInfo,
  countByProvince,
  type DatasetSource,
  DESIGNATION_LIST_DIR,
  type DesignationLists,
  type DesignationSource,
  demoSources,
  designateCounties,
  type ListedCounty,
  loadDesignationLists,
  missingKeyAssistance,
} from './designations.ts';
export { type BackgroundBuild, buildGeographyInBackground } from './geography/background.ts';
export {
  type CoverageReport,
  ensureGeography,
  type GeographyFiles,
  geographyFiles,
  type PlanInputs,
  planInputsFromFiles,
  type RegionRecord,
} from './geography/build.ts';
export {
  DEFAULT_SEED,
  DEMO_LABEL,
  DEMO_SCALES,
  type DemoScale,
  readCountyInfos,
  type SeedOptions,
  type SeedSummary,
  seedDemoData,
} from './load.ts';
export {
  HouseholdsLoadSuperseded,
  loadPendingHouseholds,
  type PendingHouseholdsOptions,
} from './pending-households.ts';
export { DEMO_PASSWORD, demoUsers } from './users.ts';
