// Over 400 lines on purpose: the demo load is one transaction whose steps read in the order they run.
// Loads the demo dataset: real regions and boundaries from the geography cache, the county
// designations from the shipped published lists (generated where a list is incomplete), then the
// generated villages, relocation sites, yearly figures and supervision ledger for the chosen scale,
// then the rollup. One transaction: a failed load leaves the database as it was. The monitored
// households come after, in a second stage (pending-households.ts), which a first start runs in
// the background once the map is served.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { bulkInsertRows, type Executor, queryRows, restoreKeys, setKeysAside } from '../src/bulk.ts';
import type { Database } from '../src/client.ts';
import { copyRows } from '../src/copy.ts';
import { lockDataset } from '../src/queries/dataset.ts';
import { refreshRegionIndicators } from '../src/queries/rollup.ts';
import { isProduction } from '../src/supervision/demo.ts';
import { recordListingHistoryFromDates } from '../src/supervision/listing-writes.ts';
import { YEARS } from './calibration.ts';
import { type CountyDesignation, type CountyInfo, demoSources, designateCounties } from './designations.ts';
import type { BackgroundBuild } from './geography/background.ts';
import {
  countiesWithBoundary,
  ensureGeography,
  type GeographyFiles,
  geographyFiles,
  type PlanInputs,
  planInputsFromFiles,
  type RegionRecord,
} from './geography/build.ts';
import { loadPendingHouseholds, MONITORING_TABLES, pendingHouseholdsSql } from './pending-households.ts';
import { CountyArea, type LonLat } from './placement.ts';
import { entityRandom } from './random.ts';
import { generateSites, type SiteRecord, siteYears } from './relocation.ts';
import { generateLedger, LEDGER_AS_OF } from './supervision.ts';
import { createDemoUsers, demoUsers } from './users.ts';
import {
  type CountyFactors,
  calibrateVillages,
  countyFactors,
  selectVillages,
  type VillageProfile,
  type VillageRecord,
  villageProfile,
  villageYear,
} from './villages.ts';

export type DemoScale = 'tiny' | 'province' | 'national';
export const DEMO_SCALES: readonly DemoScale[] = ['tiny', 'province', 'national'];
export const DEFAULT_SEED = 20_201_123;

export interface SeedOptions {
  scale: DemoScale;
  seed?: number;
  /** Province code for the `province` scale (default 52, 贵州). */
  province?: string;
  /** Replace data already in the database (otherwise a loaded database is refused). */
  replace?: boolean;
  /**
   * Production (default: NODE_ENV=production): no demo users are created, since their password is
   * public. Create real users with `pnpm users create`.
   */
  production?: boolean;
  /**
   * Commit without the monitored households, marked pending, and leave them to
   * loadPendingHouseholds (pending-households.ts): the server's first start runs it in the
   * background once it serves the map. Otherwise they are loaded before this returns.
   */
  deferHouseholds?: boolean;
  /**
   * The geography being built in the background (a first start, server/src/main.ts): the plan
   * starts from what it sends before simplifying the boundaries, and the village-years are loaded
   * while it finishes. Otherwise the geography cache is read (and built first if need be).
   */
  geography?: BackgroundBuild | null;
  log?: (line: string) => void;
}

export interface SeedSummary {
  scale: DemoScale;
  seed: number;
  counties: number;
  villages: number;
  villageYears: number;
  relocationSites: number;
  problems: number;
  /** The monitored households loaded (0 while they are pending, with `deferHouseholds`). */
  households: number;
  seconds: number;
}

export const DEMO_LABEL =
  'Generated demo data (生成的演示数据): real place names, codes and boundaries; county designations from published lists (the 832 poverty counties, the 52 挂牌督战 counties, 94 of the 160 key assistance counties); generated: the other 66 key assistance counties, east–west partner counties, poverty and 挂牌督战 villages, and all figures (calibrated to published national totals)';

/** Everything the generator decides, at national scale, before any scale filter. */
interface NationalPlan {
  regions: RegionRecord[];
  designations: Map<string, CountyDesignation>;
  villages: VillageRecord[];
  profiles: Map<string, VillageProfile>;
  calibration: ReturnType<typeof calibrateVillages>;
  sites: SiteRecord[];
  ledger: ReturnType<typeof generateLedger>;
}

// Planning takes ~10 s; a process that loads several databases (the test set-up) plans once per seed.
const plans = new Map<string, NationalPlan>();

function planNational(seed: number, inputs: () => PlanInputs, log: (line: string) => void): NationalPlan {
  const key = `${seed}|${geographyFiles().dir}`;
  const cached = plans.get(key);
  if (cached) return cached;
  const plan = computePlan(seed, inputs(), log);
  plans.set(key, plan);
  return plan;
}

/** The counties of the geography, with whether each has a boundary to draw. */
export function readCountyInfos({ regions, countiesWithBoundary }: PlanInputs): {
  regions: RegionRecord[];
  counties: CountyInfo[];
  withBoundary: Set<string>;
} {
  const withBoundary = new Set(countiesWithBoundary);
  const counties: CountyInfo[] = regions
    .filter((r) => r.level === 'county')
    .map((r) => ({
      code: r.code,
      name: r.name,
      provinceCode: r.code.slice(0, 2),
      hasBoundary: withBoundary.has(r.code),
    }));
  return { regions, counties, withBoundary };
}

function computePlan(seed: number, inputs: PlanInputs, log: (line: string) => void): NationalPlan {
  const { regions, counties: countyInfos, withBoundary } = readCountyInfos(inputs);
  const designations = designateCounties(seed, countyInfos);

  const villagesByCounty = new Map<string, PlanInputs['villages']>();
  for (const v of inputs.villages) {
    const county = v.code.slice(0, 6);
    if (!withBoundary.has(county)) continue; // no boundary, nowhere to place the village
    const list = villagesByCounty.get(county);
    if (list) list.push(v);
    else villagesByCounty.set(county, [v]);
  }
  const villages = selectVillages(seed, villagesByCounty, designations);
  log(`  planned ${villages.length.toLocaleString()} villages`);
  const factors = new Map<string, CountyFactors>();
  const profiles = new Map<string, VillageProfile>();
  for (const v of villages) {
    let f = factors.get(v.countyCode);
    if (!f) {
      f = countyFactors(seed, v.countyCode);
      factors.set(v.countyCode, f);
    }
    profiles.set(v.code, villageProfile(seed, v, f));
  }
  const calibration = calibrateVillages(seed, [...profiles.values()]);
  const regionNames = new Map(regions.map((r) => [r.code, r.name]));
  const sites = generateSites(seed, villages, designations, regionNames);
  const ledger = generateLedger(seed, designations, villages, regionNames);
  return { regions, designations, villages, profiles, calibration, sites, ledger };
}

/** The counties a scale covers. */
function scaleCounties(plan: NationalPlan, scale: DemoScale, province: string): Set<string> {
  const counties = plan.regions.filter((r) => r.level === 'county');
  if (scale === 'national') return new Set(counties.map((c) => c.code));
  if (scale === 'province')
    return new Set(counties.filter((c) => c.code.startsWith(province)).map((c) => c.code));
  // tiny: the prefecture with the most supervised counties (凉山 with the published lists); two of
  // them, one other poverty county, one key assistance county if there is one, and one county that
  // was never poor — each from the prefecture where it has one, else from the province.
  const d = [...plan.designations.values()];
  const perPrefecture = new Map<string, number>();
  for (const c of d.filter((x) => x.supervised)) {
    perPrefecture.set(c.countyCode.slice(0, 4), (perPrefecture.get(c.countyCode.slice(0, 4)) ?? 0) + 1);
  }
  const prefecture = [...perPrefecture].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  const villagesIn = new Set(plan.villages.map((v) => v.countyCode));
  const inPrefecture = d
    .filter((x) => x.countyCode.startsWith(prefecture))
    .sort((a, b) => a.countyCode.localeCompare(b.countyCode));
  const inProvince = d
    .filter((x) => x.countyCode.startsWith(prefecture.slice(0, 2)))
    .sort((a, b) => a.countyCode.localeCompare(b.countyCode));
  // The two supervised counties with the most 挂牌督战 villages (昭觉 and 越西 with the published lists).
  const supervisedVillages = new Map<string, number>();
  for (const v of plan.villages)
    if (v.supervised) supervisedVillages.set(v.countyCode, (supervisedVillages.get(v.countyCode) ?? 0) + 1);
  const picked = new Set<string>(
    inPrefecture
      .filter((x) => x.supervised)
      .sort(
        (a, b) =>
          (supervisedVillages.get(b.countyCode) ?? 0) - (supervisedVillages.get(a.countyCode) ?? 0) ||
          a.countyCode.localeCompare(b.countyCode),
      )
      .slice(0, 2)
      .map((x) => x.countyCode),
  );
  const add = (wanted: (x: CountyDesignation) => boolean) => {
    const c = [...inPrefecture, ...inProvince].find((x) => wanted(x) && !picked.has(x.countyCode));
    if (c) picked.add(c.countyCode);
  };
  add((x) => x.povertyCounty && !x.supervised && !x.keyAssistance);
  add((x) => x.keyAssistance && !x.supervised);
  add((x) => !x.povertyCounty && villagesIn.has(x.countyCode));
  return picked;
}

/** Loads the demo dataset. Refuses a database that already holds data unless `replace` is set. */
export async function seedDemoData(database: Database, options: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const log = options.log ?? console.log;
  const seed = options.seed ?? DEFAULT_SEED;
  const province = options.province ?? '52';
  if (!DEMO_SCALES.includes(options.scale)) {
    throw new Error(`unknown demo scale "${options.scale}": use one of ${DEMO_SCALES.join(', ')}`);
  }
  if (options.scale === 'province' && !/^\d{2}$/.test(province)) {
    throw new Error(`province must be a 2-digit code, got "${province}"`);
  }
  const existing = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM regions`);
  if ((existing[0]?.n ?? 0) > 0 && !options.replace) {
    throw new Error('the database already holds data; pass --replace to load the demo data over it');
  }

  // The plan needs the regions, the villages and which counties have a boundary; the boundaries
  // themselves only later, to load the regions and place the villages. A first start gets the
  // first from the geography's child before it simplifies the boundaries (some 20 s sooner), and
  // loads the village-years meanwhile.
  const early = options.geography ? await options.geography.planInputs : null;
  const geographyReady = async () => {
    await options.geography?.finished;
    return ensureGeography(log);
  };
  let files: GeographyFiles | null = early ? null : await geographyReady();
  const phase = (name: string) => {
    const t = Date.now();
    log(`${name}…`);
    return () => log(`  ${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  let done = phase(`planning the national demo data${early ? " from the geography's early lists" : ''}`);
  const plan = planNational(seed, () => early ?? planInputsFromFiles(files!), log);
  done();
  const counties = scaleCounties(plan, options.scale, province);
  const villages = plan.villages.filter((v) => counties.has(v.countyCode));
  const sites = plan.sites.filter((s) => counties.has(s.countyCode));
  const listings = plan.ledger.listings.filter((l) => counties.has(l.countyCode));
  const listingIds = new Set(listings.map((l) => l.id));
  const inspections = plan.ledger.inspections.filter((i) => listingIds.has(i.listingId));
  const problems = plan.ledger.problems.filter((p) => listingIds.has(p.listingId));
  const problemIds = new Set(problems.map((p) => p.id));
  const history = plan.ledger.history.filter((h) => problemIds.has(h.problemId));
  const departmentIds = new Set(problems.map((p) => p.departmentId));
  const departments = plan.ledger.departments.filter((d) => departmentIds.has(d.id));
  let villageYears = 0;
  let households = 0;

  await database.db.transaction(async (tx) => {
    if (options.replace) {
      // The dataset row first, as every writer takes it (queries/dataset.ts lockDataset): a login or
      // a write meanwhile waits for the reload instead of deadlocking with it.
      await lockDataset(tx);
      await clearData(tx);
    }
    done = phase(`generating and loading ${(villages.length * YEARS.length).toLocaleString()} village-years`);
    // Generated as COPY reads them; the table's keys and indexes are built once, after.
    function* figures() {
      let reported = 0;
      for (const [i, v] of villages.entries()) {
        const profile = plan.profiles.get(v.code)!;
        for (const year of YEARS) {
          yield villageYear(seed, profile, year, plan.calibration);
        }
        const pct = Math.floor(((i + 1) / villages.length) * 10) * 10;
        if (pct > reported && villages.length > 20_000) {
          reported = pct;
          log(`  ${pct}% (${(i + 1).toLocaleString()} villages)`);
        }
      }
    }
    // Their keys and indexes are built once, after the copy (the key to villages once the villages
    // are in, below).
    const villageYearKeys = await setKeysAside(tx, ['village_indicators']);
    villageYears = await copyRows(
      tx,
      database.backend,
      'village_indicators',
      figures(),
      VILLAGE_YEAR_COLUMNS,
    );
    // Their indexes need only the village-years: built now, while the boundaries may still be in
    // the making; the key to villages once the villages are in (below).
    await restoreKeys(
      villageYearKeys.filter((k) => k.kind === 'index'),
      (statement) => tx.execute(statement),
    );
    done();

    // The boundaries from here on.
    files ??= await geographyReady();
    if (early) sameCountiesWithBoundary(early.countiesWithBoundary, countiesWithBoundary(files));

    done = phase('loading regions and boundaries');
    await loadRegions(tx, plan.regions, files);
    await bulkInsertRows(
      tx,
      'county_designations',
      [...plan.designations.values()],
      [
        ['county_code', 'text', (d) => d.countyCode],
        ['poverty_county', 'bool', (d) => d.povertyCounty],
        ['poverty_exit_year', 'int4', (d) => d.povertyExitYear],
        ['key_assistance', 'bool', (d) => d.keyAssistance],
        ['key_assistance_source', 'text', (d) => d.keyAssistanceSource],
        ['supervised', 'bool', (d) => d.supervised],
        ['east_west_partner_province', 'text', (d) => d.eastWestPartnerProvince],
        ['east_west_partner_county', 'text', (d) => d.eastWestPartnerCounty],
      ],
    );
    done();

    done = phase(`placing and loading ${villages.length.toLocaleString()} villages`);
    const areas = await countyAreas(tx, seed, counties, villages);
    const location = new Map<string, LonLat>();
    for (const v of villages) {
      location.set(
        v.code,
        areas.get(v.countyCode)!.pointNear(v.townshipCode, entityRandom(seed, 'village-point', v.code)),
      );
    }
    await copyRows(tx, database.backend, 'villages', villages, [
      ['code', 'text', (v) => v.code],
      ['name', 'text', (v) => v.name],
      ['township_code', 'text', (v) => v.townshipCode],
      ['township_name', 'text', (v) => v.townshipName],
      ['county_code', 'text', (v) => v.countyCode],
      ['poverty_village', 'bool', (v) => v.povertyVillage],
      ['poverty_exit_year', 'int4', (v) => v.povertyExitYear],
      ['supervised', 'bool', (v) => v.supervised],
      ['location', 'text', (v) => pointEwkt(location.get(v.code)!)],
    ]);
    await restoreKeys(
      villageYearKeys.filter((k) => k.kind === 'constraint'),
      (statement) => tx.execute(statement),
    );
    done();

    done = phase(`loading ${sites.length.toLocaleString()} relocation sites`);
    const sitePoints = new Map<number, LonLat>();
    for (const s of sites) {
      const r = entityRandom(seed, 'site-point', String(s.id));
      const area = areas.get(s.countyCode)!;
      sitePoints.set(
        s.id,
        area.pointNear(s.townshipCode, r, s.placementType === 'central_village' ? 0.5 : 1.5),
      );
    }
    await copyRows(tx, database.backend, 'relocation_sites', sites, [
      ['id', 'int4', (s) => s.id],
      ['name', 'text', (s) => s.name],
      ['county_code', 'text', (s) => s.countyCode],
      ['placement_type', 'text', (s) => s.placementType],
      ['size_class', 'text', (s) => s.sizeClass],
      ['has_school', 'bool', (s) => s.hasSchool],
      ['has_clinic', 'bool', (s) => s.hasClinic],
      ['has_workshop', 'bool', (s) => s.hasWorkshop],
      ['has_community_service_centre', 'bool', (s) => s.hasCommunityServiceCentre],
      ['year_built', 'int4', (s) => s.yearBuilt],
      ['location', 'text', (s) => pointEwkt(sitePoints.get(s.id)!)],
    ]);
    const origins = sites.flatMap((s) => s.origins.map((o) => ({ siteId: s.id, ...o })));
    await copyRows(tx, database.backend, 'relocation_origins', origins, [
      ['site_id', 'int4', (o) => o.siteId],
      ['village_code', 'text', (o) => o.villageCode],
      ['households', 'int4', (o) => o.households],
    ]);
    await copyRows(
      tx,
      database.backend,
      'relocation_site_indicators',
      sites.flatMap((s) => siteYears(seed, s)),
      [
        ['site_id', 'int4', (y) => y.siteId],
        ['year', 'int4', (y) => y.year],
        ['households', 'int4', (y) => y.households],
        ['people', 'int4', (y) => y.people],
        ['labour_households', 'int4', (y) => y.labourHouseholds],
        ['employed', 'int4', (y) => y.employed],
        ['zero_employment_households', 'int4', (y) => y.zeroEmploymentHouseholds],
      ],
    );
    done();

    done = phase(`loading the supervision ledger (${problems.length.toLocaleString()} problems)`);
    await bulkInsertRows(tx, 'supervision_listings', listings, [
      ['id', 'int4', (l) => l.id],
      ['unit_type', 'text', (l) => l.unitType],
      ['county_code', 'text', (l) => l.countyCode],
      ['village_code', 'text', (l) => l.villageCode],
      ['listed_on', 'date', (l) => l.listedOn],
      ['supervising_unit', 'text', (l) => l.supervisingUnit],
      ['status', 'text', (l) => l.status],
      ['lifted_on', 'date', (l) => l.liftedOn],
      ['closed_on', 'date', (l) => l.closedOn],
    ]);
    await recordListingHistoryFromDates(tx);
    await bulkInsertRows(tx, 'supervision_inspections', inspections, [
      ['id', 'int4', (i) => i.id],
      ['listing_id', 'int4', (i) => i.listingId],
      ['kind', 'text', (i) => i.kind],
      ['inspected_on', 'date', (i) => i.inspectedOn],
      ['inspectors', 'text', (i) => i.inspectors],
      ['households_checked', 'int4', (i) => i.householdsChecked],
      ['villages_checked', 'int4', (i) => i.villagesChecked],
      ['findings', 'text', (i) => i.findings],
      ['created_by', 'text', (i) => i.createdBy],
    ]);
    await bulkInsertRows(tx, 'departments', departments, [
      ['id', 'int4', (d) => d.id],
      ['county_code', 'text', (d) => d.countyCode],
      ['name', 'text', (d) => d.name],
      ['kind', 'text', (d) => d.kind],
      ['contact', 'text', (d) => d.contact],
    ]);
    await bulkInsertRows(tx, 'supervision_problems', problems, [
      ['id', 'int4', (p) => p.id],
      ['listing_id', 'int4', (p) => p.listingId],
      ['inspection_id', 'int4', (p) => p.inspectionId],
      ['county_code', 'text', (p) => p.countyCode],
      ['village_code', 'text', (p) => p.villageCode],
      ['category', 'text', (p) => p.category],
      ['department', 'text', (p) => p.department],
      ['department_id', 'int4', (p) => p.departmentId],
      ['source', 'text', (p) => p.source],
      ['measures', 'text', (p) => p.measures],
      ['responsible_person', 'text', (p) => p.responsiblePerson],
      ['signed_by', 'text', (p) => p.signedBy],
      ['signed_at', 'timestamptz', (p) => p.signedAt],
      ['verified_by', 'text', (p) => p.verifiedBy],
      ['verified_at', 'timestamptz', (p) => p.verifiedAt],
      ['verification_result', 'text', (p) => p.verificationResult],
      ['verification_note', 'text', (p) => p.verificationNote],
      ['description', 'text', (p) => p.description],
      ['found_on', 'date', (p) => p.foundOn],
      ['deadline', 'date', (p) => p.deadline],
      ['status', 'text', (p) => p.status],
      ['rectified_on', 'date', (p) => p.rectifiedOn],
      ['closed_on', 'date', (p) => p.closedOn],
      ['version', 'int4', (p) => p.version],
    ]);
    await bulkInsertRows(tx, 'supervision_problem_history', history, [
      ['problem_id', 'int4', (h) => h.problemId],
      ['changed_at', 'timestamptz', (h) => h.changedAt],
      ['changed_by', 'text', (h) => h.changedBy],
      ['action', 'text', (h) => h.action],
      ['from_status', 'text', (h) => h.fromStatus],
      ['to_status', 'text', (h) => h.toStatus],
      ['note', 'text', (h) => h.note],
    ]);
    // Rows were loaded with their generated ids; new rows must continue after them.
    for (const table of [
      'departments',
      'relocation_sites',
      'supervision_listings',
      'supervision_inspections',
      'supervision_problems',
    ]) {
      await tx.execute(
        sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), coalesce((SELECT max(id) FROM ${sql.identifier(table)}), 0) + 1, false)`,
      );
    }
    done();

    if (options.production ?? isProduction()) {
      log('production (NODE_ENV=production): no demo users; create real ones with `pnpm users create`');
    } else {
      done = phase('creating the demo users');
      await createDemoUsers(tx, demoUsers(listings, { departments, problems }));
      done();
    }

    done = phase('refreshing the region rollup');
    await refreshRegionIndicators(tx);
    done();

    // The monitored households are the second stage (pending-households.ts): marked pending here.
    const provinces = plan.regions
      .filter((r) => r.level === 'province' && [...counties].some((c) => c.startsWith(r.code)))
      .map((r) => r.code);
    const pending = pendingHouseholdsSql(seed, provinces);
    await tx.execute(sql`
      INSERT INTO dataset (id, label, kind, details, data_version, households_pending)
      VALUES ('current', ${DEMO_LABEL}, 'demo', ${JSON.stringify({ scale: options.scale, seed, province: options.scale === 'province' ? province : null, ledgerAsOf: LEDGER_AS_OF, sources: demoSources() })}::jsonb, 1, ${pending})
      ON CONFLICT (id) DO UPDATE SET label = excluded.label, kind = excluded.kind, details = excluded.details,
        data_version = dataset.data_version + 1, figures_version = dataset.figures_version + 1, loaded_at = now(),
        households_pending = excluded.households_pending`);
  });

  if (!options.deferHouseholds) {
    done = phase('generating and loading the monitored households');
    households = (await loadPendingHouseholds(database, { log })) ?? 0;
    done();
  }

  const summary: SeedSummary = {
    scale: options.scale,
    seed,
    counties: counties.size,
    villages: villages.length,
    villageYears,
    relocationSites: sites.length,
    problems: problems.length,
    households,
    seconds: (Date.now() - started) / 1000,
  };
  log(
    `demo data (${options.scale}) loaded in ${summary.seconds.toFixed(1)} s: ${summary.villages.toLocaleString()} villages, ` +
      `${summary.relocationSites.toLocaleString()} relocation sites, ${summary.problems.toLocaleString()} problems, ` +
      (options.deferHouseholds
        ? 'the monitored households to follow in the background'
        : `${summary.households.toLocaleString()} monitored households`),
  );
  return summary;
}

const VILLAGE_YEAR_COLUMNS: ReadonlyArray<
  readonly [string, 'text' | 'int4' | 'float8', (r: ReturnType<typeof villageYear>) => unknown]
> = [
  ['village_code', 'text', (r) => r.villageCode],
  ['year', 'int4', (r) => r.year],
  ['population', 'int4', (r) => r.population],
  ['households', 'int4', (r) => r.households],
  ['lifted_population', 'int4', (r) => r.liftedPopulation],
  ['lifted_households', 'int4', (r) => r.liftedHouseholds],
  ['per_capita_net_income', 'float8', (r) => r.perCapitaNetIncome],
  ['labour_force', 'int4', (r) => r.labourForce],
  ['employed_out_migrant', 'int4', (r) => r.employedOutMigrant],
  ['employed_local', 'int4', (r) => r.employedLocal],
  ['public_welfare_posts', 'int4', (r) => r.publicWelfarePosts],
  ['workshop_jobs', 'int4', (r) => r.workshopJobs],
  ['monitored_unstable', 'int4', (r) => r.monitoredUnstable],
  ['monitored_marginal', 'int4', (r) => r.monitoredMarginal],
  ['monitored_sudden_hardship', 'int4', (r) => r.monitoredSuddenHardship],
  ['monitored_risk_removed', 'int4', (r) => r.monitoredRiskRemoved],
  ['dropouts', 'int4', (r) => r.dropouts],
  ['uninsured', 'int4', (r) => r.uninsured],
  ['unsafe_houses', 'int4', (r) => r.unsafeHouses],
  ['households_without_safe_water', 'int4', (r) => r.householdsWithoutSafeWater],
];

const DATA_TABLES = [
  ...MONITORING_TABLES,
  'supervision_listing_history',
  'problem_reminders',
  'problem_evidence',
  'evidence_uploads',
  'evidence_files',
  'supervision_problem_history',
  'supervision_problems',
  'supervision_inspections',
  'supervision_listings',
  'relocation_site_indicators',
  'relocation_origins',
  'relocation_sites',
  'village_indicators',
  'villages',
  'county_designations',
  'region_indicators',
];

/**
 * Empties every data table for a reload. Users stay, except department users: their departments
 * are part of the data and go with it. Departments and regions are deleted rather than truncated,
 * since users (which stay) refer to departments, and departments to regions.
 */
async function clearData(tx: Executor) {
  await tx.execute(sql`DELETE FROM users WHERE department_id IS NOT NULL`);
  await tx.execute(
    sql`TRUNCATE ${sql.join(
      DATA_TABLES.map((t) => sql.identifier(t)),
      sql`, `,
    )} RESTART IDENTITY`,
  );
  await tx.execute(sql`DELETE FROM departments`);
  await tx.execute(sql`ALTER SEQUENCE departments_id_seq RESTART`);
  await tx.execute(sql`DELETE FROM regions`);
}

/**
 * A plan made from the geography's early inputs must be the plan its finished cache gives: the
 * counties with a boundary are the same (the build checks it as well, geography/build.ts).
 */
function sameCountiesWithBoundary(early: readonly string[], built: readonly string[]): void {
  const a = new Set(early);
  const b = new Set(built);
  const differ = [...new Set([...a, ...b])].filter((c) => !a.has(c) || !b.has(c));
  if (differ.length)
    throw new Error(
      `the geography's early county list differs from its finished boundaries (${differ.slice(0, 10).join(', ')}): the demo data cannot be planned from it; start again`,
    );
}

/** A point as the text a geometry column reads (EWKT), in WGS84. */
function pointEwkt([lon, lat]: LonLat): string {
  return `SRID=4326;POINT(${lon} ${lat})`;
}

/** Boundaries are made valid on the way in (the simplified source rings can self-intersect). */
const VALID_MULTIPOLYGON = sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(u._geojson), 4326)), 3))`;

export async function loadRegions(
  tx: Executor,
  regions: RegionRecord[],
  files: GeographyFiles,
): Promise<void> {
  const geometry = new Map<string, string>();
  for (const [path, key] of [
    [files.counties, 'code'],
    [files.prefectures, 'pref'],
    [files.provinces, 'prov'],
  ] as const) {
    const collection = JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
    for (const f of collection.features as Feature<Polygon | MultiPolygon>[]) {
      if (f.geometry) geometry.set(String(f.properties?.[key]), JSON.stringify(f.geometry));
    }
  }
  const provinceOf = (r: RegionRecord) => r.code.slice(0, 2);
  await bulkInsertRows(
    tx,
    'regions',
    regions,
    [
      ['code', 'text', (r) => r.code],
      ['name', 'text', (r) => r.name],
      ['level', 'text', (r) => r.level],
      ['parent_code', 'text', (r) => r.parentCode],
      ['province_code', 'text', provinceOf],
      ['prefecture_code', 'text', (r) => (r.level === 'county' ? r.parentCode : null)],
      ['_geojson', 'text', (r) => geometry.get(r.code) ?? null],
    ],
    { boundary: VALID_MULTIPOLYGON },
    500,
  );
  await tx.execute(
    sql`UPDATE regions SET label_point = ST_PointOnSurface(boundary) WHERE boundary IS NOT NULL`,
  );
  // Empty results of make-valid are no boundary at all.
  await tx.execute(sql`UPDATE regions SET boundary = NULL, label_point = NULL WHERE ST_IsEmpty(boundary)`);
}

/** Reads back the stored (valid) boundaries of the counties that receive villages. */
async function countyAreas(tx: Executor, seed: number, counties: Set<string>, villages: VillageRecord[]) {
  const townships = new Map<string, Set<string>>();
  for (const v of villages) {
    const set = townships.get(v.countyCode) ?? new Set<string>();
    set.add(v.townshipCode);
    townships.set(v.countyCode, set);
  }
  const rows = await queryRows<{ code: string; geojson: string; lon: number; lat: number }>(
    tx,
    sql`SELECT code, ST_AsGeoJSON(boundary) AS geojson, ST_X(label_point) AS lon, ST_Y(label_point) AS lat
        FROM regions WHERE level = 'county' AND boundary IS NOT NULL`,
  );
  const areas = new Map<string, CountyArea>();
  for (const row of rows) {
    if (!counties.has(row.code) || !townships.has(row.code)) continue;
    areas.set(
      row.code,
      new CountyArea(
        seed,
        row.code,
        JSON.parse(row.geojson) as MultiPolygon,
        [row.lon, row.lat],
        townships.get(row.code)!.size,
      ),
    );
  }
  return areas;
}
