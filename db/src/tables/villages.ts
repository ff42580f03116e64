import { boolean, doublePrecision, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { point } from '../postgis/columns.ts';
import { regions } from './regions.ts';

/** Villages (村) under monitoring, keyed by the 12-digit statistical code (code[0:6] = county). */
export const villages = pgTable(
  'villages',
  {
    code: text().primaryKey(),
    name: text().notNull(),
    townshipCode: text().notNull(),
    townshipName: text().notNull(),
    countyCode: text()
      .notNull()
      .references(() => regions.code),
    /** Null only where the county has no boundary to place the village in. */
    location: point(),
    /** 贫困村. */
    povertyVillage: boolean().notNull().default(false),
    /** Year the village exited poverty (出列). */
    povertyExitYear: integer(),
    /** 挂牌督战村. */
    supervised: boolean().notNull().default(false),
  },
  (t) => [
    index('villages_location_gist').using('gist', t.location),
    index('villages_county_idx').on(t.countyCode),
    index('villages_code_prefix_idx').using('btree', t.code.op('text_pattern_ops')),
  ],
);

/** Yearly indicators of a village (2014–2025). "Lifted" (脱贫) figures cover registered poor households. */
export const villageIndicators = pgTable(
  'village_indicators',
  {
    villageCode: text()
      .notNull()
      .references(() => villages.code),
    year: integer().notNull(),
    population: integer().notNull(),
    households: integer().notNull(),
    /** 脱贫人口: people in registered (建档立卡) poor households, lifted by 2020. */
    liftedPopulation: integer().notNull(),
    liftedHouseholds: integer().notNull(),
    /** 脱贫人口人均纯收入, yuan per person per year. */
    perCapitaNetIncome: doublePrecision().notNull(),
    /** 脱贫劳动力. */
    labourForce: integer().notNull(),
    /** 外出务工. */
    employedOutMigrant: integer().notNull(),
    /** 就近就业 (including public-welfare posts and workshop jobs). */
    employedLocal: integer().notNull(),
    /** 公益岗位. */
    publicWelfarePosts: integer().notNull(),
    /** 帮扶车间 jobs. */
    workshopJobs: integer().notNull(),
    /** 防止返贫监测对象 by type: 脱贫不稳定户, 边缘易致贫户, 突发严重困难户. */
    monitoredUnstable: integer().notNull(),
    monitoredMarginal: integer().notNull(),
    monitoredSuddenHardship: integer().notNull(),
    /** Monitored households whose risk has been removed (风险消除). */
    monitoredRiskRemoved: integer().notNull(),
    /** 两不愁三保障 and drinking water gaps. */
    dropouts: integer().notNull(),
    uninsured: integer().notNull(),
    unsafeHouses: integer().notNull(),
    householdsWithoutSafeWater: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.villageCode, t.year] }),
    // Year, then code prefix: a region's villages in one year (migration 0005).
    index('village_indicators_year_code_idx').using('btree', t.year, t.villageCode.op('text_pattern_ops')),
  ],
);
