// 防止返贫动态监测 (#17): the fixed vocabularies of monitored households, their risk causes and the
// assistance measures they get. The tables themselves are in migration 0016 and are read and
// written with SQL in db/src/monitoring/; these lists are the CHECK constraints' values, and the
// labels are what the API's enums and the dashboard say.

/** The three kinds of monitoring object (监测对象). */
export const HOUSEHOLD_TYPE_LABELS = {
  unstable: '脱贫不稳定户',
  marginal: '边缘易致贫户',
  sudden_hardship: '突发严重困难户',
} as const;
export type HouseholdType = keyof typeof HOUSEHOLD_TYPE_LABELS;

/** Risk causes (致贫返贫风险); a household may have several. */
export const RISK_CAUSE_LABELS = {
  illness: '因病',
  disability: '因残',
  schooling: '因学',
  disaster: '因灾',
  accident: '因意外',
  epidemic: '因疫',
  business_failure: '因产业失败',
  unstable_work: '因务工就业不稳',
  lack_of_labour: '缺劳动力',
  other: '其他',
} as const;
export type RiskCause = keyof typeof RISK_CAUSE_LABELS;

/** Where a household stands: under monitoring, or its risk removed (风险消除). */
export const HOUSEHOLD_STATUS_LABELS = {
  monitoring: '监测中',
  risk_removed: '风险已消除',
} as const;
export type HouseholdStatus = keyof typeof HOUSEHOLD_STATUS_LABELS;

/** Assistance measures (帮扶措施), "缺什么补什么". */
export const MEASURE_KIND_LABELS = {
  industry: '产业帮扶',
  employment: '就业帮扶',
  public_welfare_post: '公益岗位',
  small_loan: '小额信贷',
  health: '健康帮扶',
  education: '教育帮扶',
  social_assistance: '兜底保障',
  other: '其他',
} as const;
export type MeasureKind = keyof typeof MEASURE_KIND_LABELS;

/** A small loan's state: being repaid on time, repaid, or overdue (逾期). */
export const LOAN_STATE_LABELS = {
  current: '正常还款',
  repaid: '已结清',
  overdue: '逾期',
} as const;
export type LoanState = keyof typeof LOAN_STATE_LABELS;

/** Where a province's monitoring line comes from: the demo generator, a published notice, or an admin. */
export const MONITORING_LINE_SOURCES = ['generated', 'published', 'set'] as const;
export type MonitoringLineSource = (typeof MONITORING_LINE_SOURCES)[number];

/** The mechanism's first year (2020): no household, line or statistic before it. */
export const MONITORING_FIRST_YEAR = 2020;

/** Early warning (预警): income under the line or within this share above it, and no active measure. */
export const EARLY_WARNING_MARGIN = 0.1;
