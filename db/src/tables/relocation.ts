import { boolean, index, integer, pgTable, primaryKey, serial, text, unique } from 'drizzle-orm/pg-core';
import { point } from '../postgis/columns.ts';
import { regions } from './regions.ts';
import { villages } from './villages.ts';

/**
 * 易地扶贫搬迁集中安置点. The id is the database's; a file names a site by county code + name, unique
 * within the county (migration 0008).
 */
export const relocationSites = pgTable(
  'relocation_sites',
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    countyCode: text()
      .notNull()
      .references(() => regions.code),
    location: point(),
    /** 安置方式: county town, township, central village, industrial park, tourist area. */
    placementType: text({
      enum: ['county_town', 'township', 'central_village', 'industrial_park', 'tourist_area'],
    }).notNull(),
    /** 规模: small < 800 people, medium 800–3,000, large 3,000–10,000, extra large ≥ 10,000. */
    sizeClass: text({ enum: ['small', 'medium', 'large', 'extra_large'] }).notNull(),
    hasSchool: boolean().notNull(),
    hasClinic: boolean().notNull(),
    hasWorkshop: boolean().notNull(),
    hasCommunityServiceCentre: boolean().notNull(),
    yearBuilt: integer().notNull(),
  },
  (t) => [
    index('relocation_sites_location_gist').using('gist', t.location),
    // Also the county index: it leads with county_code.
    unique('relocation_sites_county_code_name_unique').on(t.countyCode, t.name),
  ],
);

/** The villages a site's households came from (迁出村), with household counts. */
export const relocationOrigins = pgTable(
  'relocation_origins',
  {
    siteId: integer()
      .notNull()
      .references(() => relocationSites.id),
    villageCode: text()
      .notNull()
      .references(() => villages.code),
    households: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.villageCode] }),
    index('relocation_origins_village_idx').on(t.villageCode),
  ],
);

/** Yearly figures of a relocation site, from the year it was built. */
export const relocationSiteIndicators = pgTable(
  'relocation_site_indicators',
  {
    siteId: integer()
      .notNull()
      .references(() => relocationSites.id),
    year: integer().notNull(),
    households: integer().notNull(),
    people: integer().notNull(),
    labourHouseholds: integer().notNull(),
    employed: integer().notNull(),
    /** 零就业家庭: households with a labourer but nobody employed. */
    zeroEmploymentHouseholds: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.year] })],
);
