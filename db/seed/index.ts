export {
  ensureGeography,
  geographyFiles,
  type GeographyFiles,
  type RegionRecord,
} from './geography/build.ts';
