// 挂牌督战 supervision in GraphQL: listings, inspections, the ledger summary, login and users, and
// the workflow mutations. Every mutation is one transaction; role and scope come from auth/policy.ts.
import {
  assignDepartment,
  changeProblemStatus,
  checkUser,
  closeListing,
  countListingsByStatus,
  createSession,
  createUser,
  demoLoginRefusal,
  findDataset,
  findInspections,
  findListings,
  findLogin,
  findProblemsById,
  findUserById,
  type InspectionRow,
  type LedgerCounts,
  LISTING_STATUS_LABELS,
  type ListingRow,
  liftListing,
  listUsers,
  lockDataset,
  recordInspection,
  reportProblem,
  revokeSession,
  SupervisionError,
  setDeadline,
  supervisionSummary,
  type UserRow,
  updateUser,
  verifyPassword,
} from '@rrm/db';
import { GraphQLError } from 'graphql';
import { ledgerSummaryRule, requireLogin, requireRole, requireWriter } from './auth/policy.ts';
import { clearedSessionCookie, sessionCookie, signToken, TOKEN_HOURS } from './auth/tokens.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { oncePerRequest, queryCost, SCAN_COST, sized } from './cost.ts';
import { badInput } from './errors.ts';
import { regionCodePrefix } from './inputs.ts';
import {
  checkDate,
  PROBLEM_CATEGORY_LABELS,
  ProblemCategoryEnum,
  ProblemRef,
  ProblemStatusEnum,
} from './problem.ts';
import { CountyRef } from './refs.ts';

const INSPECTION_KIND_LABELS = { review: '回头看', cross_check: '交叉排查', spot_check: '抽查' } as const;
const ROLE_LABELS = {
  leader: '领导: reads everything',
  analyst: '分析: reads everything, exports',
  supervisor: '督战: reads everything; writes supervision data inside the region scope',
  admin: '管理员: manages users; may write supervision data anywhere',
} as const;

const enumOf = (name: string, description: string, labels: Record<string, string>) =>
  builder.enumType(name, {
    description,
    values: Object.fromEntries(
      Object.entries(labels).map(([k, zh]) => [k.toUpperCase(), { value: k, description: zh }]),
    ) as Record<string, { value: string; description: string }>,
  });

export const ListingStatusEnum = enumOf('ListingStatus', '挂牌督战 status.', LISTING_STATUS_LABELS);
const InspectionKindEnum = enumOf('InspectionKind', 'Kind of inspection.', INSPECTION_KIND_LABELS);
const RoleEnum = enumOf('Role', 'What a user may do.', ROLE_LABELS);
const UnitTypeEnum = enumOf('ListingUnit', 'What is listed.', {
  county: '挂牌督战县',
  village: '挂牌督战村',
});

// ---------------------------------------------------------------- input checks

/** Text that must be present and not too long; trimmed. */
function text(field: string, value: string | null | undefined, max: number, required = true): string | null {
  const trimmed = value?.trim() ?? '';
  if (!trimmed) {
    if (required) throw badInput(field, 'must not be empty');
    return null;
  }
  if (trimmed.length > max) throw badInput(field, `at most ${max} characters, got ${trimmed.length}`);
  return trimmed;
}

function requiredDate(field: string, value: string): string {
  const date = checkDate(field, value);
  if (!date) throw badInput(field, 'must be a date (YYYY-MM-DD)');
  return date;
}

function count(field: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw badInput(field, `must be 0–${max}, got ${value}`);
  return value;
}

function id(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw badInput(field, `must be a positive id, got ${value}`);
  return value;
}

function idempotencyKey(value: string | null | undefined): string | null {
  return text('input.idempotencyKey', value, 100, false);
}

/** Runs a write in one transaction and turns a refusal into a coded GraphQL error. */
async function write<T>(
  ctx: Context,
  work: (tx: Parameters<Parameters<Context['database']['db']['transaction']>[0]>[0]) => Promise<T>,
) {
  try {
    return await ctx.database.db.transaction(async (tx) => {
      // The dataset row first, as an import does (then rows): no crosswise waits.
      await lockDataset(tx);
      return work(tx);
    });
  } catch (error) {
    if (error instanceof SupervisionError) {
      throw new GraphQLError(error.message, {
        extensions: { code: error.code, ...(error.field ? { argument: error.field } : {}), ...error.details },
      });
    }
    throw error;
  }
}

// ---------------------------------------------------------------- types

const UserRef = builder.objectRef<UserRow>('User').implement({
  description: 'A person who logs in. Never carries the password.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'User number.' }),
    username: t.exposeString('username', { description: 'Login name.' }),
    displayName: t.exposeString('displayName', { description: 'Name shown.' }),
    role: t.field({ type: RoleEnum, description: 'Role.', resolve: (u) => u.role }),
    regionScope: t.exposeString('regionScope', {
      nullable: true,
      description: 'For supervisors: the region code prefix they may write in.',
    }),
    disabled: t.exposeBoolean('disabled', { description: 'A disabled user cannot log in.' }),
  }),
});

const InspectionRef = builder.objectRef<InspectionRow>('Inspection').implement({
  description: '回头看 / 交叉排查 / 抽查: a dated visit with what it checked and found.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Inspection number.' }),
    listingId: t.exposeInt('listingId', { description: 'The listing inspected.' }),
    kind: t.field({ type: InspectionKindEnum, description: 'Kind.', resolve: (i) => i.kind }),
    inspectedOn: t.exposeString('inspectedOn', { description: 'Date (ISO).' }),
    inspectors: t.exposeString('inspectors', { description: 'Who inspected.' }),
    householdsChecked: t.exposeInt('householdsChecked', { description: 'Households checked.' }),
    villagesChecked: t.exposeInt('villagesChecked', { description: 'Villages checked.' }),
    findings: t.exposeString('findings', { description: 'Findings (检查发现).' }),
    createdBy: t.exposeString('createdBy', { description: 'Who recorded it.' }),
    problemsFound: t.exposeInt('problemsFound', { description: 'Problems reported with it.' }),
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
        ...sized(50),
        description:
          'By department (empty when detailsWithheld; without a login, counties with fewer than 5 problems are left out).',
        resolve: (s) => s.byDepartment,
      }),
      detailsWithheld: t.exposeBoolean('detailsWithheld', {
        description:
          'True when byCategory and byDepartment are withheld: without a login, a region with fewer than 5 problems answers counts by status only.',
      }),
    }),
  });

const LoginRef = builder.objectRef<{ token: string; expiresAt: Date; user: UserRow }>('Login').implement({
  description:
    'A signed token. Browsers need not touch it: login also sets it in an HttpOnly cookie. API clients send it as "Authorization: Bearer <token>".',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The token (JWT, HS256).' }),
    expiresAt: t.string({
      description: 'When it stops working (ISO).',
      resolve: (l) => l.expiresAt.toISOString(),
    }),
    user: t.field({ type: UserRef, description: 'Who logged in.', resolve: (l) => l.user }),
  }),
});

const SessionRef = builder.objectRef<{ expiresAt: Date; user: UserRow }>('Session').implement({
  description: 'The current login: who, and until when.',
  fields: (t) => ({
    user: t.field({ type: UserRef, description: 'Who is logged in.', resolve: (l) => l.user }),
    expiresAt: t.string({
      description: 'When the login ends (ISO), unless revoked before.',
      resolve: (l) => l.expiresAt.toISOString(),
    }),
  }),
});

// ---------------------------------------------------------------- queries

const ListingFilterInput = builder.inputType('ListingFilter', {
  description: 'Filters on listings; all given conditions must hold.',
  fields: (t) => ({
    regionCode: t.string({ required: false, description: 'Code prefix (2–12 digits).' }),
    statuses: t.field({ type: [ListingStatusEnum], required: false, description: 'Any of these statuses.' }),
    unitType: t.field({ type: UnitTypeEnum, required: false, description: 'Counties or villages.' }),
  }),
});

async function oneListing(ctx: Context, listingId: number): Promise<ListingRow> {
  const [row] = await findListings(ctx.database.db, { ids: [listingId] });
  if (!row) throw new GraphQLError(`there is no listing ${listingId}`, { extensions: { code: 'NOT_FOUND' } });
  return row;
}

async function oneProblem(ctx: Context, problemId: number) {
  const [row] = await findProblemsById(ctx.database.db, [problemId]);
  if (!row) throw new GraphQLError(`there is no problem ${problemId}`, { extensions: { code: 'NOT_FOUND' } });
  return row;
}

builder.queryFields((t) => ({
  session: t.field({
    type: SessionRef,
    nullable: true,
    description:
      'The current login (from the session cookie or the Authorization header), or null without one.',
    resolve: (_r, _a, ctx) =>
      ctx.viewer.kind === 'user' ? { user: ctx.viewer.user, expiresAt: ctx.viewer.session.expiresAt } : null,
  }),
  me: t.field({
    type: UserRef,
    nullable: true,
    description: 'The logged-in user, or null without a login.',
    resolve: (_r, _a, ctx) => (ctx.viewer.kind === 'user' ? ctx.viewer.user : null),
  }),
  users: t.field({
    type: [UserRef],
    ...sized((_args, sizes) => sizes.users),
    description: 'Every user (admins only).',
    resolve: (_r, _a, ctx) => {
      requireRole(ctx.viewer, ['admin'], 'users');
      return listUsers(ctx.database.db);
    },
  }),
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
  inspections: t.field({
    type: [InspectionRef],
    ...sized(30),
    description: 'Inspections of a listing, newest first (needs a login).',
    args: { listingId: t.arg.int({ required: true, description: 'Listing number.' }) },
    resolve: (_r, args, ctx) => {
      requireLogin(ctx.viewer, 'inspections');
      return findInspections(ctx.database.db, [args.listingId]);
    },
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

// A county's ledger in numbers (public, like every aggregate) and its listings.
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

// ---------------------------------------------------------------- mutations

builder.mutationType({ description: 'Writes: login, the supervision workflow and user management.' });

const NewProblemFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  category: t.field({ type: ProblemCategoryEnum, required: true, description: '问题类别.' }),
  department: t.string({ required: true, description: '责任单位 (up to 50 characters).' }),
  description: t.string({ required: true, description: '问题描述 (up to 2,000 characters).' }),
  deadline: t.string({ required: true, description: '整改时限 (YYYY-MM-DD), not before the found date.' }),
});

const InspectionProblemInput = builder.inputType('InspectionProblemInput', {
  description: 'A problem found by an inspection (at the listed place, found on the inspection date).',
  fields: (t) => NewProblemFields(t),
});

const ReportProblemInput = builder.inputType('ReportProblemInput', {
  description: 'A problem to put in the ledger.',
  fields: (t) => ({
    countyCode: t.string({ required: true, description: '6-digit county code.' }),
    villageCode: t.string({
      required: false,
      description: '12-digit village code, when found at a village.',
    }),
    listingId: t.int({ required: false, description: 'The listing it belongs to.' }),
    ...NewProblemFields(t),
    foundOn: t.string({ required: true, description: '发现日期 (YYYY-MM-DD), not in the future.' }),
    idempotencyKey: t.string({
      required: false,
      description:
        'Your key for this write (up to 100 characters), seen only by you: a retry with the same key and the same input returns the first result (if you may still write its place); the same key with another input is refused (IDEMPOTENCY_KEY_REUSED).',
    }),
  }),
});

const RecordInspectionInput = builder.inputType('RecordInspectionInput', {
  description: 'An inspection of a listing, with the problems it found.',
  fields: (t) => ({
    listingId: t.int({ required: true, description: 'The listing inspected.' }),
    kind: t.field({ type: InspectionKindEnum, required: true, description: 'Kind.' }),
    inspectedOn: t.string({ required: true, description: 'Date (YYYY-MM-DD), not in the future.' }),
    inspectors: t.string({ required: true, description: 'Who inspected (up to 200 characters).' }),
    householdsChecked: t.int({ required: true, description: 'Households checked (0–100,000).' }),
    villagesChecked: t.int({ required: true, description: 'Villages checked (0–10,000).' }),
    findings: t.string({ required: true, description: 'Findings (up to 4,000 characters).' }),
    problems: t.field({
      type: [InspectionProblemInput],
      required: false,
      description: 'Problems found (up to 50).',
    }),
    idempotencyKey: t.string({
      required: false,
      description: 'Your key for this write (see reportProblem).',
    }),
  }),
});

function checkNewProblem(
  field: string,
  p: { category: string; department: string; description: string; deadline: string },
) {
  if (!(p.category in PROBLEM_CATEGORY_LABELS))
    throw badInput(`${field}.category`, `unknown category ${p.category}`);
  return {
    category: p.category,
    department: text(`${field}.department`, p.department, 50)!,
    description: text(`${field}.description`, p.description, 2000)!,
    deadline: requiredDate(`${field}.deadline`, p.deadline),
  };
}

const versioned = (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) => ({
  id: t.arg.int({ required: true, description: 'Problem number.' }),
  expectedVersion: t.arg.int({
    required: true,
    description: 'The version you read; a different current version is a conflict.',
  }),
  note: t.arg.string({ required: false, description: 'Note or reason (up to 1,000 characters).' }),
});

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginRef,
    // Each login runs scrypt (32 MiB, tens of ms of a thread): one per request.
    ...oncePerRequest(),
    description:
      'Logs in: a token valid for 8 hours, also set as an HttpOnly cookie (rrm_session). Demo users and the demo password are refused in production and on data that is not the demo dataset (DEMO_LOGIN_REFUSED).',
    args: {
      username: t.arg.string({ required: true, description: 'Login name.' }),
      password: t.arg.string({ required: true, description: 'Password.' }),
    },
    resolve: async (_r, args, ctx) => {
      const name = args.username.slice(0, 100);
      const wait = ctx.loginThrottle.admit(name, ctx.http?.clientAddress ?? 'unknown');
      if (wait > 0)
        throw new GraphQLError(`too many login attempts; try again in ${wait} s`, {
          extensions: { code: 'TOO_MANY_LOGIN_ATTEMPTS', retryAfterSeconds: wait, http: { status: 429 } },
        });
      const refusal = demoLoginRefusal(args, {
        production: ctx.production,
        datasetKind: (await findDataset(ctx.database.db))?.kind ?? null,
      });
      if (refusal) throw new GraphQLError(refusal, { extensions: { code: 'DEMO_LOGIN_REFUSED' } });
      const user = args.username.length <= 100 ? await findLogin(ctx.database.db, args.username) : null;
      // The same answer, and the same work, whether the user exists or not.
      const ok = await ctx.loginThrottle.checking(() =>
        verifyPassword(args.password.slice(0, 200), user?.passwordHash ?? DUMMY_HASH),
      );
      ctx.loginThrottle.settle(name, ctx.http?.clientAddress ?? 'unknown', !!user && ok);
      if (!user || !ok || user.disabled)
        throw new GraphQLError(
          user?.disabled && ok ? 'this user is disabled' : 'wrong username or password',
          {
            extensions: { code: 'UNAUTHENTICATED', reason: 'login' },
          },
        );
      const { passwordHash: _hash, ...safe } = user;
      // Whole seconds, so the session, the token's exp and the answer name the same instant.
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + TOKEN_HOURS * 3600) * 1000);
      const sessionId = await createSession(ctx.database.db, {
        userId: user.id,
        checkedHash: user.passwordHash,
        expiresAt,
        clientAddress: ctx.http?.clientAddress ?? null,
      });
      // The password changed (or the user was disabled) while this login was being checked.
      if (!sessionId)
        throw new GraphQLError('wrong username or password', {
          extensions: { code: 'UNAUTHENTICATED', reason: 'login' },
        });
      const signed = await signToken(
        { userId: user.id, sessionId, role: user.role, scope: user.regionScope },
        { expiresAt },
      );
      ctx.http?.setCookie(sessionCookie(signed.token, TOKEN_HOURS * 3600, ctx.http.secure));
      return { ...signed, user: safe };
    },
  }),
  logout: t.boolean({
    description:
      'Ends the current login (the session behind the cookie or the Authorization header) and clears the cookie. True when a session was ended.',
    resolve: async (_r, _a, ctx) => {
      if (ctx.http) ctx.http.setCookie(clearedSessionCookie(ctx.http.secure));
      if (ctx.viewer.kind !== 'user') return false;
      await revokeSession(ctx.database.db, ctx.viewer.session.id);
      return true;
    },
  }),
  reportProblem: t.field({
    type: ProblemRef,
    description: '报告问题: puts a problem in the ledger (supervisors in scope, admins).',
    args: { input: t.arg({ type: ReportProblemInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const { user, authorize } = requireWriter(ctx.viewer, 'reportProblem');
      const problem = {
        ...checkNewProblem('input', input),
        countyCode: regionCodePrefix('input.countyCode', input.countyCode, [6])!,
        villageCode: regionCodePrefix('input.villageCode', input.villageCode, [12]),
        listingId: input.listingId == null ? null : id('input.listingId', input.listingId),
        foundOn: requiredDate('input.foundOn', input.foundOn),
        idempotencyKey: idempotencyKey(input.idempotencyKey),
      };
      const problemId = await write(ctx, (tx) =>
        reportProblem(tx, { userId: user.id, username: user.username, authorize }, problem),
      );
      return oneProblem(ctx, problemId);
    },
  }),
  recordInspection: t.field({
    type: InspectionRef,
    description: '记录检查: an inspection of a listing and the problems it found, in one transaction.',
    args: { input: t.arg({ type: RecordInspectionInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const { user, authorize } = requireWriter(ctx.viewer, 'recordInspection');
      if ((input.problems?.length ?? 0) > 50) throw badInput('input.problems', 'at most 50 problems at once');
      const inspection = {
        listingId: id('input.listingId', input.listingId),
        kind: input.kind,
        inspectedOn: requiredDate('input.inspectedOn', input.inspectedOn),
        inspectors: text('input.inspectors', input.inspectors, 200)!,
        householdsChecked: count('input.householdsChecked', input.householdsChecked, 100_000),
        villagesChecked: count('input.villagesChecked', input.villagesChecked, 10_000),
        findings: text('input.findings', input.findings, 4000)!,
        problems: (input.problems ?? []).map((p, i) => checkNewProblem(`input.problems[${i}]`, p)),
        idempotencyKey: idempotencyKey(input.idempotencyKey),
      };
      const inspectionId = await write(ctx, (tx) =>
        recordInspection(tx, { userId: user.id, username: user.username, authorize }, inspection),
      );
      const listing = await oneListing(ctx, inspection.listingId);
      const [row] = (await findInspections(ctx.database.db, [listing.id])).filter(
        (i) => i.id === inspectionId,
      );
      return row!;
    },
  }),
  updateProblemStatus: t.field({
    type: ProblemRef,
    description:
      'Moves a problem along: open → in progress → rectified → closed; reopen or return with a reason.',
    args: {
      ...versioned(t),
      status: t.arg({ type: ProblemStatusEnum, required: true, description: 'The new status.' }),
    },
    resolve: async (_r, args, ctx) => {
      const { user, authorize } = requireWriter(ctx.viewer, 'updateProblemStatus');
      const change = {
        id: id('id', args.id),
        expectedVersion: args.expectedVersion,
        status: args.status as 'open',
        note: text('note', args.note, 1000, false),
      };
      await write(ctx, (tx) =>
        changeProblemStatus(tx, { userId: user.id, username: user.username, authorize }, change),
      );
      return oneProblem(ctx, change.id);
    },
  }),
  assignDepartment: t.field({
    type: ProblemRef,
    description: 'Hands a problem to another responsible department (责任单位).',
    args: {
      ...versioned(t),
      department: t.arg.string({ required: true, description: '责任单位 (up to 50 characters).' }),
    },
    resolve: async (_r, args, ctx) => {
      const { user, authorize } = requireWriter(ctx.viewer, 'assignDepartment');
      const change = {
        id: id('id', args.id),
        expectedVersion: args.expectedVersion,
        department: text('department', args.department, 50)!,
        note: text('note', args.note, 1000, false),
      };
      await write(ctx, (tx) =>
        assignDepartment(tx, { userId: user.id, username: user.username, authorize }, change),
      );
      return oneProblem(ctx, change.id);
    },
  }),
  setDeadline: t.field({
    type: ProblemRef,
    description: "Moves a problem's deadline (整改时限).",
    args: {
      ...versioned(t),
      deadline: t.arg.string({ required: true, description: 'New deadline (YYYY-MM-DD).' }),
    },
    resolve: async (_r, args, ctx) => {
      const { user, authorize } = requireWriter(ctx.viewer, 'setDeadline');
      const change = {
        id: id('id', args.id),
        expectedVersion: args.expectedVersion,
        deadline: requiredDate('deadline', args.deadline),
        note: text('note', args.note, 1000, false),
      };
      await write(ctx, (tx) =>
        setDeadline(tx, { userId: user.id, username: user.username, authorize }, change),
      );
      return oneProblem(ctx, change.id);
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
      const { user, authorize } = requireWriter(ctx.viewer, 'liftListing');
      const change = {
        id: id('id', args.id),
        expectedVersion: args.expectedVersion,
        liftedOn: requiredDate('liftedOn', args.liftedOn),
      };
      await write(ctx, (tx) =>
        liftListing(tx, { userId: user.id, username: user.username, authorize }, change),
      );
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
      const { user, authorize } = requireWriter(ctx.viewer, 'closeListing');
      const change = { id: id('id', args.id), expectedVersion: args.expectedVersion };
      await write(ctx, (tx) =>
        closeListing(tx, { userId: user.id, username: user.username, authorize }, change),
      );
      return oneListing(ctx, change.id);
    },
  }),
  createUser: t.field({
    type: UserRef,
    description: 'Adds a user (admins only).',
    args: {
      username: t.arg.string({ required: true, description: 'Login name: 3–40 of a–z, 0–9, ., _, -.' }),
      displayName: t.arg.string({ required: true, description: 'Name shown (up to 50 characters).' }),
      role: t.arg({ type: RoleEnum, required: true, description: 'Role.' }),
      regionScope: t.arg.string({ required: false, description: 'For supervisors: 2, 4 or 6 digits.' }),
      password: t.arg.string({ required: true, description: 'At least 10 characters.' }),
    },
    resolve: async (_r, args, ctx) => {
      requireRole(ctx.viewer, ['admin'], 'createUser');
      return write(ctx, async (tx) => {
        const user = checkUser(args);
        if (await findLogin(tx, user.username))
          throw new SupervisionError('BAD_USER_INPUT', 'username', `"${user.username}" is taken`);
        return createUser(tx, { ...user, password: user.password! });
      });
    },
  }),
  updateUser: t.field({
    type: UserRef,
    description: 'Changes a user: role, scope, name, password, or disables them (admins only).',
    args: {
      id: t.arg.int({ required: true, description: 'User number.' }),
      displayName: t.arg.string({ required: false, description: 'Name shown.' }),
      role: t.arg({ type: RoleEnum, required: false, description: 'Role.' }),
      regionScope: t.arg.string({ required: false, description: 'For supervisors: 2, 4 or 6 digits.' }),
      password: t.arg.string({ required: false, description: 'At least 10 characters.' }),
      disabled: t.arg.boolean({ required: false, description: 'Disable (or enable) the user.' }),
    },
    resolve: async (_r, args, ctx) => {
      const admin = requireRole(ctx.viewer, ['admin'], 'updateUser');
      const current = await findUserById(ctx.database.db, args.id);
      if (!current)
        throw new GraphQLError(`there is no user ${args.id}`, { extensions: { code: 'NOT_FOUND' } });
      if (current.id === admin.id && (args.disabled || (args.role && args.role !== 'admin')))
        throw badInput('id', 'you cannot disable yourself or give up your own admin role');
      const role = (args.role ?? current.role) as UserRow['role'];
      const scope =
        args.regionScope !== undefined
          ? args.regionScope
          : role === 'supervisor'
            ? current.regionScope
            : null;
      return write(ctx, async (tx) => {
        const checked = checkUser({
          username: current.username,
          displayName: args.displayName ?? current.displayName,
          role,
          regionScope: scope,
          password: args.password ?? null,
        });
        return (await updateUser(tx, current.id, {
          displayName: checked.displayName,
          role: checked.role,
          regionScope: checked.regionScope,
          ...(args.disabled != null ? { disabled: args.disabled } : {}),
          ...(checked.password != null ? { password: checked.password } : {}),
        }))!;
      });
    },
  }),
}));

/** Checked against when the user does not exist, so a wrong username costs as much as a wrong password. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
