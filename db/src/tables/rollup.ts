import { doublePrecision, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * Indicators summed per region and year (county, prefecture, province, and the nation as code "00"),
 * refreshed after every load so that maps and KPI cards never aggregate 128,000 villages per request.
 */
export const regionIndicators = pgTable(
  'region_indicators',
  {
    regionCode: text().notNull(),
    level: text({ enum: ['nation', 'province', 'prefecture', 'county'] }).notNull(),
    year: integer().notNull(),
    villages: integer().notNull(),
    povertyVillages: integer().notNull(),
    supervisedVillages: integer().notNull(),
    population: integer().notNull(),
    liftedPopulation: integer().notNull(),
    /** Lifted-population-weighted mean of 脱贫人口人均纯收入; null where no village reports. */
    perCapitaNetIncome: doublePrecision(),
    labourForce: integer().notNull(),
    employed: integer().notNull(),
    employedOutMigrant: integer().notNull(),
    employedLocal: integer().notNull(),
    publicWelfarePosts: integer().notNull(),
    workshopJobs: integer().notNull(),
    monitoredHouseholds: integer().notNull(),
    monitoredRiskRemoved: integer().notNull(),
    relocationSites: integer().notNull(),
    relocatedHouseholds: integer().notNull(),
    relocatedPeople: integer().notNull(),
    siteLabourHouseholds: integer().notNull(),
    siteEmployed: integer().notNull(),
    zeroEmploymentHouseholds: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.regionCode, t.year] }),
    index('region_indicators_level_year_idx').on(t.level, t.year),
  ],
);
