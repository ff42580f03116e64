// Words of the supervision pages, Chinese first (the map's switch sets ?lang=en).
import type { Lang } from '../i18n.ts';

const TEXT = {
  title: { zh: '挂牌督战', en: 'Listed supervision (挂牌督战)' },
  login: { zh: '登录', en: 'Log in' },
  logout: { zh: '退出', en: 'Log out' },
  language: { zh: 'English', en: '中文' },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  map: { zh: '返回地图', en: 'Back to the map' },
  all: { zh: '全部', en: 'All' },
  search: { zh: '搜索县、乡镇、村', en: 'Search county, township, village' },
  county: { zh: '县', en: 'County' },
  township: { zh: '乡镇', en: 'Township' },
  village: { zh: '村', en: 'Village' },
  unit: { zh: '督战单位', en: 'Supervising unit' },
  status: { zh: '状态', en: 'Status' },
  open: { zh: '未销号', en: 'Open' },
  overdue: { zh: '逾期', en: 'Overdue' },
  listedOn: { zh: '挂牌日期', en: 'Listed on' },
  listed: { zh: '挂牌', en: 'listed' },
  lifted: { zh: '摘帽/出列', en: 'lifted' },
  closed: { zh: '销号', en: 'closed' },
  SUPERVISING: { zh: '督战中', en: 'Under supervision' },
  LIFTED: { zh: '已摘帽/出列', en: 'Lifted' },
  CLOSED: { zh: '已销号', en: 'Closed' },
  OPEN: { zh: '待整改', en: 'Open' },
  SIGNED: { zh: '已签收', en: 'Signed for' },
  IN_PROGRESS: { zh: '整改中', en: 'In progress' },
  RECTIFIED: { zh: '已整改', en: 'Rectified' },
  rate: { zh: '整改率', en: 'Rectification rate' },
  scope: { zh: '督战范围', en: 'Your region' },
  departmentScope: { zh: '责任单位所在县', en: "Your department's county" },
  readOnly: { zh: '只读：不在您的督战范围内', en: 'Read only: outside your region' },
  ledger: { zh: '问题台账', en: 'Problem ledger' },
  inspections: { zh: '检查记录', en: 'Inspections' },
  reportProblem: { zh: '报告问题', en: 'Report a problem' },
  recordInspection: { zh: '记录检查', en: 'Record an inspection' },
  category: { zh: '问题类别', en: 'Category' },
  department: { zh: '责任单位', en: 'Responsible department' },
  description: { zh: '问题描述', en: 'Description' },
  foundOn: { zh: '发现日期', en: 'Found on' },
  deadline: { zh: '整改时限', en: 'Deadline' },
  note: { zh: '说明（退回、重新打开时必填）', en: 'Note (needed to return or reopen)' },
  moveTo: { zh: '改为', en: 'Move to' },
  history: { zh: '整改记录', en: 'History' },
  submit: { zh: '提交', en: 'Submit' },
  kind: { zh: '检查类型', en: 'Kind' },
  REVIEW: { zh: '回头看', en: 'Review' },
  CROSS_CHECK: { zh: '交叉排查', en: 'Cross-check' },
  SPOT_CHECK: { zh: '抽查', en: 'Spot check' },
  inspectedOn: { zh: '检查日期', en: 'Date' },
  inspectors: { zh: '检查人员', en: 'Inspectors' },
  households: { zh: '检查户数', en: 'Households checked' },
  villagesChecked: { zh: '检查村数', en: 'Villages checked' },
  findings: { zh: '检查发现', en: 'Findings' },
  none: { zh: '暂无', en: 'None' },
  saved: { zh: '已保存', en: 'Saved' },
  exportLedger: { zh: '导出台账 (Excel)', en: 'Export ledger (Excel)' },
  ledgerSheet: { zh: '全县整改台账（报表）', en: "County's ledger sheet (to print)" },
  measures: { zh: '整改措施', en: 'Rectification measures' },
  deadlines: { zh: '逾期与即将到期（按责任单位）', en: 'Overdue and due soon, by department' },
  dueSoon: { zh: '7日内到期', en: 'Due within 7 days' },
  reminders: { zh: '今日催办', en: 'Today’s reminders' },
  evidence: { zh: '佐证材料', en: 'Evidence' },
  newListing: { zh: '挂牌：新增督战对象', en: 'List a place for supervision' },
  countyCode: { zh: '县代码（6位）', en: 'County code (6 digits)' },
  villageCodeOptional: {
    zh: '村代码（12位，县挂牌不填）',
    en: 'Village code (12 digits; empty for a county)',
  },
  noEvidence: { zh: '暂无佐证材料', en: 'No evidence yet' },
  addEvidence: { zh: '添加佐证材料（照片、PDF、XLSX、DOCX）', en: 'Add evidence (photos, PDF, XLSX, DOCX)' },
  daysOverdue: { zh: '逾期天数', en: 'Days overdue' },
  remindedTo: { zh: '催办对象', en: 'Sent to' },
  problem: { zh: '问题', en: 'Problem' },
  DEPARTMENT: { zh: '责任单位', en: 'the department' },
  SUPERVISOR: { zh: '督战人员（逾期7日起）', en: 'supervisors (7+ days)' },
  ADMIN: { zh: '管理员（逾期30日起）', en: 'admins (30+ days)' },
  firstShown: {
    zh: '按整改时限列出前',
    en: 'Listed by deadline, the first',
  },
  otherDepartment: { zh: '其他（手工填写）', en: 'Other (type its name)' },
  measuresNeeded: {
    zh: '整改措施（标记已整改时必填）',
    en: 'Rectification measures (needed to mark it rectified)',
  },
  responsiblePerson: { zh: '责任人', en: 'Person responsible' },
  source: { zh: '问题来源', en: 'Source' },
  signedBy: { zh: '签收', en: 'Signed for by' },
  verification: { zh: '验收', en: 'Verification' },
  passed: { zh: '通过', en: 'passed' },
  failed: { zh: '未通过', en: 'failed' },
  myProblems: { zh: '本单位待办问题', en: "Your department's open problems" },
  departmentOnly: {
    zh: '责任单位账号：只显示、只办理本单位的问题',
    en: "Department account: you see and act on your department's problems only",
  },
} as const;

export type SupervisionText = keyof typeof TEXT;

export function s(key: SupervisionText, lang: Lang): string {
  return TEXT[key][lang];
}

export function langOfPage(): Lang {
  return new URLSearchParams(window.location.search).get('lang') === 'en' ? 'en' : 'zh';
}

/** A path in the page's language (Chinese needs no parameter). */
export function withLang(path: string, lang: Lang = langOfPage()): string {
  return lang === 'en' ? `${path}${path.includes('?') ? '&' : '?'}lang=en` : path;
}

export const CATEGORIES = {
  INCOME: { zh: '收入', en: 'Income' },
  EMPLOYMENT: { zh: '就业', en: 'Employment' },
  COMPULSORY_EDUCATION: { zh: '义务教育', en: 'Compulsory education' },
  BASIC_MEDICAL: { zh: '基本医疗', en: 'Basic medical care' },
  HOUSING_SAFETY: { zh: '住房安全', en: 'Housing safety' },
  DRINKING_WATER: { zh: '饮水安全', en: 'Drinking water' },
  FOOD_AND_CLOTHING: { zh: '吃穿', en: 'Food and clothing' },
  PROCEDURE: { zh: '程序手续', en: 'Procedure' },
  FUNDS: { zh: '资金', en: 'Funds' },
} as const;

/** 问题来源. */
export const SOURCES = {
  REVIEW: { zh: '回头看', en: 'Review' },
  CROSS_CHECK: { zh: '交叉排查', en: 'Cross-check' },
  SPOT_CHECK: { zh: '抽查', en: 'Spot check' },
  INSPECTION_TOUR: { zh: '巡视', en: 'Inspection tour' },
  ASSESSMENT: { zh: '考核', en: 'Assessment' },
  AUDIT: { zh: '审计', en: 'Audit' },
  SUPERVISION_CHECK: { zh: '督查', en: 'Supervision check' },
  PETITION: { zh: '信访', en: 'Petition' },
} as const;
