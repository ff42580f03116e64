import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { multiPolygon, point } from '../postgis/columns.ts';

/** Administrative regions keyed by GB/T 2260 code (2023): province (2), prefecture (4), county (6). */
export const regions = pgTable(
  'regions',
  {
    code: text().primaryKey(),
    name: text().notNull(),
    level: text({ enum: ['province', 'prefecture', 'county'] }).notNull(),
    parentCode: text(),
    provinceCode: text().notNull(),
    /** Null for Taiwan, Hong Kong and Macau's own levels' parents; set for every county. */
    prefectureCode: text(),
    /** Null where no boundary could be matched (listed in the README); such a region is drawn as no-boundary. */
    boundary: multiPolygon(),
    /** A point inside the boundary, precomputed for labels (ST_PointOnSurface). */
    labelPoint: point(),
  },
  (t) => [
    index('regions_boundary_gist').using('gist', t.boundary),
    index('regions_label_point_gist').using('gist', t.labelPoint),
    index('regions_parent_idx').on(t.parentCode),
    // Migration 0023: ("level", "code") INCLUDE (name, parents), which drizzle cannot declare.
    index('regions_level_code_cover').on(t.level, t.code),
  ],
);

/**
 * What a county is designated as. The demo dataset takes them from the published lists shipped in
 * db/seed/designations/ (SOURCES.md); the key assistance list is partial, so each county says where
 * its key assistance value comes from.
 */
export const countyDesignations = pgTable(
  'county_designations',
  {
    countyCode: text()
      .primaryKey()
      .references(() => regions.code),
    /** 贫困县 (832 in the real programme). */
    povertyCounty: boolean().notNull().default(false),
    /** Year the county was lifted out of poverty (摘帽), 2016–2020. */
    povertyExitYear: integer(),
    /** 国家乡村振兴重点帮扶县 (160, named 2021). */
    keyAssistance: boolean().notNull().default(false),
    /** Where keyAssistance (true or false) comes from; null when nobody said (0006_designation_sources). */
    keyAssistanceSource: text({ enum: ['published_list', 'imported', 'generated'] }),
    /** 挂牌督战县 (52, listed in early 2020). */
    supervised: boolean().notNull().default(false),
    /** 东西部协作: the eastern province that partners this county. */
    eastWestPartnerProvince: text(),
    /** 东西部协作: the partnering eastern county, where paired at county level. */
    eastWestPartnerCounty: text(),
  },
  (t) => [
    check(
      'county_designations_key_assistance_source_check',
      sql`${t.keyAssistanceSource} IN ('published_list', 'imported', 'generated')`,
    ),
  ],
);
