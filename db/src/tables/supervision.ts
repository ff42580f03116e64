import {
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { regions } from './regions.ts';
import { users } from './users.ts';
import { villages } from './villages.ts';

export const LISTING_STATUSES = ['supervising', 'lifted', 'closed'] as const;
export const INSPECTION_KINDS = ['review', 'cross_check', 'spot_check'] as const;
export const PROBLEM_STATUSES = ['open', 'signed', 'in_progress', 'rectified', 'closed'] as const;
export const PROBLEM_CATEGORIES = [
  'income',
  'employment',
  'compulsory_education',
  'basic_medical',
  'housing_safety',
  'drinking_water',
  'food_and_clothing',
  'procedure',
  'funds',
] as const;

/** The Chinese names of the categories and statuses, as the ledger (问题台账) writes them. */
export const PROBLEM_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  income: '收入',
  employment: '就业',
  compulsory_education: '义务教育',
  basic_medical: '基本医疗',
  housing_safety: '住房安全',
  drinking_water: '饮水安全',
  food_and_clothing: '吃穿',
  procedure: '程序手续',
  funds: '资金',
} satisfies Record<(typeof PROBLEM_CATEGORIES)[number], string>;

export const PROBLEM_STATUS_LABELS: Readonly<Record<string, string>> = {
  open: '待整改',
  signed: '已签收',
  in_progress: '整改中',
  rectified: '已整改',
  closed: '已销号',
} satisfies Record<(typeof PROBLEM_STATUSES)[number], string>;

/** 问题来源: how a problem was found (the 回头看 work and the checks and channels beside it). */
export const PROBLEM_SOURCE_LABELS = {
  review: '回头看',
  cross_check: '交叉排查',
  spot_check: '抽查',
  inspection_tour: '巡视',
  assessment: '考核',
  audit: '审计',
  supervision_check: '督查',
  petition: '信访',
} as const;
export type ProblemSource = keyof typeof PROBLEM_SOURCE_LABELS;

/** The kinds of county departments that answer for problems (责任单位), as county offices name them. */
export const DEPARTMENT_KIND_LABELS = {
  organization: '组织',
  education: '教育',
  housing: '住建',
  civil_affairs: '民政',
  water: '水利',
  medical_insurance: '医保',
  health: '卫健',
  human_resources: '人社',
  industry: '工信',
  agriculture: '农业农村',
  rural_revitalization: '乡村振兴',
  finance: '财政',
  development: '发改',
  financial_services: '金融',
  disabled_persons: '残联',
  transport: '交通',
  natural_resources: '自然资源',
  other: '其他',
} as const;
export type DepartmentKind = keyof typeof DEPARTMENT_KIND_LABELS;

/** The outcome of a verification (验收): passed closes the problem (销号), failed sends it back. */
export const VERIFICATION_RESULTS = ['passed', 'failed'] as const;

/** 责任单位: a department of one county that signs for, rectifies and answers for problems. */
export const departments = pgTable(
  'departments',
  {
    id: serial().primaryKey(),
    countyCode: text()
      .notNull()
      .references(() => regions.code),
    name: text().notNull(),
    kind: text().$type<DepartmentKind>().notNull(),
    /** 联系人 and telephone, as the county writes it. */
    contact: text(),
    version: integer().notNull().default(1),
  },
  (t) => [unique('departments_county_name_key').on(t.countyCode, t.name)],
);

export const LISTING_STATUS_LABELS: Readonly<Record<(typeof LISTING_STATUSES)[number], string>> = {
  supervising: '督战中',
  lifted: '已摘帽/已出列',
  closed: '已销号',
};

/** 挂牌督战: a county or a village listed for supervision. */
export const listings = pgTable(
  'supervision_listings',
  {
    id: serial().primaryKey(),
    unitType: text({ enum: ['county', 'village'] }).notNull(),
    countyCode: text()
      .notNull()
      .references(() => regions.code),
    villageCode: text().references(() => villages.code),
    listedOn: date().notNull(),
    /** 督战单位. */
    supervisingUnit: text().notNull(),
    /** 督战中 → 已摘帽/已出列 → 已销号. */
    status: text({ enum: LISTING_STATUSES }).notNull(),
    liftedOn: date(),
    closedOn: date(),
    version: integer().notNull().default(1),
  },
  (t) => [
    index('listings_county_idx').on(t.countyCode),
    index('listings_village_idx').on(t.villageCode),
    // One listing per place (a county's has no village): the key an import upserts by (0009).
    unique('supervision_listings_place_key').on(t.countyCode, t.villageCode).nullsNotDistinct(),
  ],
);

/** Append-only history of a listing: listed (挂牌), lifted (摘帽/出列), closed (销号); who and when. */
export const listingHistory = pgTable(
  'supervision_listing_history',
  {
    id: serial().primaryKey(),
    listingId: integer()
      .notNull()
      .references(() => listings.id),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    changedBy: text().notNull(),
    action: text().notNull(),
    fromStatus: text(),
    toStatus: text().notNull(),
    note: text(),
  },
  (t) => [index('listing_history_listing_idx').on(t.listingId)],
);

/** 回头看, 交叉排查, 抽查: a dated visit with what it checked and found. */
export const inspections = pgTable(
  'supervision_inspections',
  {
    id: serial().primaryKey(),
    listingId: integer()
      .notNull()
      .references(() => listings.id),
    kind: text({ enum: INSPECTION_KINDS }).notNull(),
    inspectedOn: date().notNull(),
    inspectors: text().notNull(),
    householdsChecked: integer().notNull(),
    villagesChecked: integer().notNull(),
    findings: text().notNull(),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inspections_listing_idx').on(t.listingId)],
);

/**
 * 问题台账: one problem found at a village or county, moving open → signed for by its department →
 * in progress → rectified → verified and closed (workflow.ts).
 */
export const problems = pgTable(
  'supervision_problems',
  {
    id: serial().primaryKey(),
    listingId: integer().references(() => listings.id),
    inspectionId: integer().references(() => inspections.id),
    countyCode: text()
      .notNull()
      .references(() => regions.code),
    villageCode: text().references(() => villages.code),
    category: text({ enum: PROBLEM_CATEGORIES }).notNull(),
    /** 责任单位 as written, e.g. 教育, 住建, 水利: the registered department's name, or free text from before the registry. */
    department: text().notNull(),
    /** The registered department that answers for it, when there is one (its users see and act on it). */
    departmentId: integer().references(() => departments.id),
    /** 问题来源 (PROBLEM_SOURCE_LABELS); null for rows from before it was recorded. */
    source: text().$type<ProblemSource>(),
    /** 整改措施: what the department does or did; needed before a problem is marked rectified. */
    measures: text(),
    /** 责任人. */
    responsiblePerson: text(),
    /** 签收: who signed for it for the department, and when. */
    signedBy: text(),
    signedAt: timestamp({ withTimezone: true }),
    /** 验收: who verified the rectification, when, the result and its note (latest verification). */
    verifiedBy: text(),
    verifiedAt: timestamp({ withTimezone: true }),
    verificationResult: text({ enum: VERIFICATION_RESULTS }),
    verificationNote: text(),
    description: text().notNull(),
    foundOn: date().notNull(),
    /** 整改时限. Overdue = past this date and not closed. */
    deadline: date().notNull(),
    status: text({ enum: PROBLEM_STATUSES }).notNull(),
    rectifiedOn: date(),
    /** 销号日期. */
    closedOn: date(),
    /** Optimistic concurrency: every write names the version it read. */
    version: integer().notNull().default(1),
  },
  (t) => [
    index('problems_county_idx').on(t.countyCode),
    index('problems_village_idx').on(t.villageCode),
    index('problems_listing_idx').on(t.listingId),
    index('problems_status_deadline_idx').on(t.status, t.deadline),
    index('problems_department_idx').on(t.departmentId),
  ],
);

/** Append-only history of every change to a problem (who, when, from → to, note). */
export const problemHistory = pgTable(
  'supervision_problem_history',
  {
    id: serial().primaryKey(),
    problemId: integer()
      .notNull()
      .references(() => problems.id),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    changedBy: text().notNull(),
    action: text().notNull(),
    fromStatus: text(),
    toStatus: text(),
    note: text(),
    changes: jsonb(),
  },
  (t) => [index('problem_history_problem_idx').on(t.problemId)],
);

export const IDEMPOTENT_OPERATIONS = ['reportProblem', 'recordInspection'] as const;

/**
 * The client's key for a write, scoped to the user who sent it: a retry (same user, key, operation
 * and request) finds the first result instead of writing a copy; the same key with another request
 * is refused; another user's key is never seen. Claimed inside the write's transaction, so it
 * exists exactly when the write does.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    operation: text({ enum: IDEMPOTENT_OPERATIONS }).notNull(),
    /** SHA-256 (hex) of the normalized input without the key; null for keys from before 0004. */
    requestHash: text(),
    /** The problem or inspection written (set in the same transaction as the claim). */
    resultId: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
