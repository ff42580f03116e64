// 挂牌督战 listings: the listed counties and villages with their ledger counts, the ledger summary of
// a region, and listing (挂牌), lifting (摘帽/出列) and closing (销号) a place, with its history.
import {
  closeListing,
  countListingsByStatus,
  createListing,
  findInspections,
  findListings,
  type LedgerCounts,
  LISTING_STATUS_LABELS,
  type ListingHistoryRow,
  type ListingRow,
  liftListing,
  MAX_SUMMARY_DEPARTMENTS,
  supervisionSummary,
} from '@rrm/db';
import { ledgerSummaryRule, requireLogin } from '../auth/policy.ts';
import { builder } from '../builder.ts';
import { queryCost, SCAN_COST, sized } from '../cost.ts';
import { enumOf, regionCodePrefix } from '../inputs.ts';
import { CountyRef } from '../refs.ts';
import { InspectionRef } from './inspections.ts';
import { id, oneListing, requiredDate, text, write, writer } from './workflow.ts';

export const ListingStatusEnum = enumOf('ListingStatus', '挂牌督战 status.', LISTING_STATUS_LABELS);

const UnitTypeEnum = enumOf('ListingUnit', 'What is listed.', {
  county: '挂牌督战县',
  village: '挂牌督战村',
});

const ListingChangeRef = builder.objectRef<ListingHistoryRow>('ListingChange').implement({
  description: 'One move of a listing; the history is append-only.',
  fields: (t) => ({
    changedAt: t.exposeString('changedAt', { description: 'When (ISO 8601, UTC).' }),
    changedBy: t.exposeString('changedBy', {
      description: 'Who (a user, or the supervising unit for loaded data).',
    }),
    action: t.exposeString('action', { description: 'listed, lifted or closed.' }),
    fromStatus: t.field({
      type: ListingStatusEnum,
      nullable: true,
      description: 'Status before.',
      resolve: (h) => h.fromStatus as ListingRow['status'] | null,
    }),
    toStatus: t.field({
      type: ListingStatusEnum,
      description: 'Status after.',
      resolve: (h) => h.toStatus as ListingRow['status'],
    }),
  }),
});

export const ListingRef = builder.objectRef<ListingRow>('Listing').implement({
  description: '挂牌督战: a county or village listed for supervision, with its ledger counts.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Listing number.' }),
    unitType: t.field({ type: UnitTypeEnum, description: 'County or village.', resolve: (l) => l.unitType }),
    countyCode: t.exposeString('countyCode', { description: 'County code.' }),
    countyName: t.exposeString('countyName', { description: '县.' }),
    villageCode: t.exposeString('villageCode', {
      nullable: true,
      description: 'Village code, for a village.',
    }),
    villageName: t.exposeString('villageName', { nullable: true, description: '村.' }),
    townshipName: t.exposeString('townshipName', { nullable: true, description: '乡镇.' }),
    listedOn: t.exposeString('listedOn', { description: '挂牌 date (ISO).' }),
    supervisingUnit: t.exposeString('supervisingUnit', { description: '督战单位.' }),
    status: t.field({ type: ListingStatusEnum, description: 'Status.', resolve: (l) => l.status }),
    liftedOn: t.exposeString('liftedOn', { nullable: true, description: '摘帽/出列 date.' }),
    closedOn: t.exposeString('closedOn', { nullable: true, description: '销号 date.' }),
    version: t.exposeInt('version', { description: 'Version, for concurrent edits.' }),
    problems: t.exposeInt('problems', { description: 'Problems in its ledger.' }),
    openProblems: t.exposeInt('openProblems', { description: 'Problems not closed.' }),
    overdueProblems: t.exposeInt('overdueProblems', {
      description: 'Problems past their deadline, not closed.',
    }),
    history: t.field({
      type: [ListingChangeRef],
      // Listed, lifted, closed: a listing moves three times.
      ...sized(5),
      description:
        'Every move, oldest first: listed (挂牌), lifted (摘帽/出列), closed (销号); who and when (needs a login: it names people).',
      resolve: (l, _a, ctx) => {
        requireLogin(ctx.viewer, "a listing's history");
        return ctx.loaders.listingHistory.load(l.id);
      },
    }),
    inspections: t.field({
      type: [InspectionRef],
      ...sized(30),
      description: 'Its inspections, newest first (needs a login).',
      resolve: (l, _a, ctx) => {
        requireLogin(ctx.viewer, 'inspections');
        return findInspections(ctx.database.db, [l.id]);
      },
    }),
  }),
});

const StatusCountRef = builder.objectRef<{ status: string; count: number }>('ListingStatusCount').implement({
  description: 'How many listings are in a status.',
  fields: (t) => ({
    status: t.field({ type: ListingStatusEnum, description: 'Status.', resolve: (c) => c.status }),
    count: t.exposeInt('count', { description: 'Listings.' }),
  }),
});

const ListingsRef = builder
  .objectRef<{ nodes: ListingRow[]; byStatus: { status: string; count: number }[] }>('ListingList')
  .implement({
    description: 'Listings matching a filter, and how many of them are in each status.',
    fields: (t) => ({
      nodes: t.field({
        type: [ListingRef],
        ...sized((_args, sizes) => sizes.listings),
        description: 'The listings, in code order.',
        resolve: (l) => l.nodes,
      }),
      totalCount: t.int({ description: 'How many.', resolve: (l) => l.nodes.length }),
      byStatus: t.field({
        type: [StatusCountRef],
        ...sized(3),
        description: 'Counts by status (all statuses, whatever the status filter).',
        resolve: (l) => l.byStatus,
      }),
    }),
  });

const LedgerCountsRef = builder.objectRef<LedgerCounts>('LedgerCounts').implement({
  description: 'Problems counted by status.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The category or department ("" for the total).' }),
    total: t.exposeInt('total', { description: 'All problems.' }),
    open: t.exposeInt('open', { description: '待整改.' }),
    signed: t.exposeInt('signed', { description: '已签收 (signed for by the department, not yet started).' }),
    inProgress: t.exposeInt('inProgress', { description: '整改中.' }),
    rectified: t.exposeInt('rectified', { description: '已整改 (not yet verified).' }),
    closed: t.exposeInt('closed', { description: '已销号.' }),
    overdue: t.exposeInt('overdue', { description: '逾期: past the deadline and not closed.' }),
    rectificationRate: t.float({
      nullable: true,
      description: '整改率: (rectified + closed) / total; null without problems.',
      resolve: (c) => (c.total ? (c.rectified + c.closed) / c.total : null),
    }),
  }),
});

const SummaryRef = builder
  .objectRef<{
    total: LedgerCounts;
    byCategory: LedgerCounts[];
    byDepartment: LedgerCounts[];
    detailsWithheld: boolean;
  }>('SupervisionSummary')
  .implement({
    description: "A region's problem ledger in numbers.",
    fields: (t) => ({
      total: t.field({ type: LedgerCountsRef, description: 'All problems.', resolve: (s) => s.total }),
      byCategory: t.field({
        type: [LedgerCountsRef],
        ...sized(10),
        description:
          'By category (empty when detailsWithheld; without a login, counties with fewer than 5 problems are left out).',
        resolve: (s) => s.byCategory,
      }),
      byDepartment: t.field({
        type: [LedgerCountsRef],
        // Every department named in the ledger, at a national summary, up to the cap.
        ...sized((_args, sizes) => Math.min(sizes.departments, MAX_SUMMARY_DEPARTMENTS)),
        description: `By department, the ${MAX_SUMMARY_DEPARTMENTS} with the most problems (empty when detailsWithheld; without a login, counties with fewer than 5 problems are left out).`,
        resolve: (s) => s.byDepartment,
      }),
      detailsWithheld: t.exposeBoolean('detailsWithheld', {
        description:
          'True when byCategory and byDepartment are withheld: without a login, a region with fewer than 5 problems answers counts by status only.',
      }),
    }),
  });

const ListingFilterInput = builder.inputType('ListingFilter', {
  description: 'Filters on listings; all given conditions must hold.',
  fields: (t) => ({
    regionCode: t.string({ required: false, description: 'Code prefix (2–12 digits).' }),
    statuses: t.field({ type: [ListingStatusEnum], required: false, description: 'Any of these statuses.' }),
    unitType: t.field({ type: UnitTypeEnum, required: false, description: 'Counties or villages.' }),
  }),
});

builder.queryFields((t) => ({
  listings: t.field({
    type: ListingsRef,
    ...queryCost(SCAN_COST),
    description: '挂牌督战 listings with their open and overdue problem counts, and counts by status.',
    args: { filter: t.arg({ type: ListingFilterInput, required: false }) },
    resolve: async (_r, args, ctx) => {
      const filter = {
        regionCode: regionCodePrefix('filter.regionCode', args.filter?.regionCode),
        statuses: args.filter?.statuses ?? null,
        unitType: (args.filter?.unitType as 'county' | 'village' | null | undefined) ?? null,
      };
      const [nodes, byStatus] = await Promise.all([
        findListings(ctx.database.db, filter),
        countListingsByStatus(ctx.database.db, filter),
      ]);
      return { nodes, byStatus };
    },
  }),
  listing: t.field({
    type: ListingRef,
    nullable: true,
    description: 'One listing by number.',
    args: { id: t.arg.int({ required: true, description: 'Listing number.' }) },
    resolve: async (_r, args, ctx) => (await findListings(ctx.database.db, { ids: [args.id] }))[0] ?? null,
  }),
  supervisionSummary: t.field({
    type: SummaryRef,
    // Three aggregates over the region's ledger.
    ...queryCost(SCAN_COST),
    description:
      'The ledger of a region (or the whole country): counts by status, category and department. Below the county (9 or 12 digits) it needs a login. Without one, a region with fewer than 5 problems answers counts by status only (detailsWithheld), and the counts by category and department of a larger region leave out its counties with fewer than 5 problems.',
    args: { regionCode: t.arg.string({ required: false, description: 'Code prefix (2–12 digits).' }) },
    resolve: async (_r, args, ctx) => {
      const regionCode = regionCodePrefix('regionCode', args.regionCode) ?? null;
      const min = ledgerSummaryRule(ctx.viewer, regionCode);
      const summary = await supervisionSummary(ctx.database.db, regionCode, { detailsMinPerCounty: min });
      return summary.total.total < min
        ? { ...summary, byCategory: [], byDepartment: [], detailsWithheld: true }
        : { ...summary, detailsWithheld: false };
    },
  }),
}));

builder.objectFields(CountyRef, (t) => ({
  openProblems: t.int({
    description: 'Problems in its ledger not yet closed (未销号).',
    resolve: async (c, _a, ctx) => (await ctx.loaders.problemCounts.load(c.code)).open,
  }),
  overdueProblems: t.int({
    description: 'Problems past their deadline and not closed (逾期).',
    resolve: async (c, _a, ctx) => (await ctx.loaders.problemCounts.load(c.code)).overdue,
  }),
  listing: t.field({
    type: ListingRef,
    nullable: true,
    description: 'Its own 挂牌督战 listing, when the county is listed.',
    resolve: async (c, _a, ctx) =>
      (await ctx.loaders.listingsOfCounty.load(c.code)).find((l) => l.unitType === 'county') ?? null,
  }),
  listings: t.field({
    type: [ListingRef],
    ...sized(100),
    description: "Every listing in the county: its own and its villages'.",
    resolve: (c, _a, ctx) => ctx.loaders.listingsOfCounty.load(c.code),
  }),
}));

const CreateListingInput = builder.inputType('CreateListingInput', {
  description: 'A county, or a village of it, to list for supervision (挂牌督战).',
  fields: (t) => ({
    unitType: t.field({ type: UnitTypeEnum, required: true, description: 'County or village.' }),
    countyCode: t.string({ required: true, description: '6-digit county code.' }),
    villageCode: t.string({ required: false, description: '12-digit village code, for a village.' }),
    listedOn: t.string({ required: true, description: '挂牌 date (YYYY-MM-DD), not in the future.' }),
    supervisingUnit: t.string({
      required: true,
      description: '督战单位 (up to 100 characters, as the listings import takes).',
    }),
  }),
});

builder.mutationFields((t) => ({
  createListing: t.field({
    type: ListingRef,
    description: '挂牌: lists a county or a village for supervision (supervisors in scope, admins).',
    args: { input: t.arg({ type: CreateListingInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const actor = writer(ctx, 'createListing');
      const listing = {
        unitType: input.unitType as 'county' | 'village',
        countyCode: regionCodePrefix('input.countyCode', input.countyCode, [6])!,
        villageCode: regionCodePrefix('input.villageCode', input.villageCode, [12]),
        listedOn: requiredDate('input.listedOn', input.listedOn),
        supervisingUnit: text('input.supervisingUnit', input.supervisingUnit, 100)!,
      };
      const listingId = await write(ctx, (tx) => createListing(tx, actor, listing));
      return oneListing(ctx, listingId);
    },
  }),
  liftListing: t.field({
    type: ListingRef,
    description: '摘帽/出列: the listed place meets the standard.',
    args: {
      id: t.arg.int({ required: true, description: 'Listing number.' }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      liftedOn: t.arg.string({ required: true, description: 'Date (YYYY-MM-DD), not in the future.' }),
    },
    resolve: async (_r, args, ctx) => {
      const actor = writer(ctx, 'liftListing');
      const change = {
        id: id('id', args.id),
        expectedVersion: args.expectedVersion,
        liftedOn: requiredDate('liftedOn', args.liftedOn),
      };
      await write(ctx, (tx) => liftListing(tx, actor, change));
      return oneListing(ctx, change.id);
    },
  }),
  closeListing: t.field({
    type: ListingRef,
    description: '销号: closes a lifted listing once every problem of it is closed.',
    args: {
      id: t.arg.int({ required: true, description: 'Listing number.' }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
    },
    resolve: async (_r, args, ctx) => {
      const actor = writer(ctx, 'closeListing');
      const change = { id: id('id', args.id), expectedVersion: args.expectedVersion };
      await write(ctx, (tx) => closeListing(tx, actor, change));
      return oneListing(ctx, change.id);
    },
  }),
}));
