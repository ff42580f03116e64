// The 挂牌督战 ledger: listings of the supervised counties and villages, inspections after the
// annual rhythm (check in March, cross-check in April, rectification to the end of May, spot checks
// in June), problems with their departments and deadlines, and the full history of each problem,
// simulated up to a fixed date so that the same seed always gives the same ledger.

import { DEPARTMENT_KIND_LABELS, type DepartmentKind } from '../src/tables/supervision.ts';
import type { CountyDesignation } from './designations.ts';
import { entityRandom, type Random } from './random.ts';
import type { VillageRecord } from './villages.ts';

/** The ledger is simulated as of this day; "overdue" is computed live against today's date. */
export const LEDGER_AS_OF = '2026-11-01';

export type ProblemStatus = 'open' | 'signed' | 'in_progress' | 'rectified' | 'closed';
export type ProblemCategory =
  | 'income'
  | 'employment'
  | 'compulsory_education'
  | 'basic_medical'
  | 'housing_safety'
  | 'drinking_water'
  | 'food_and_clothing'
  | 'procedure'
  | 'funds';

export interface ListingRecord {
  id: number;
  unitType: 'county' | 'village';
  countyCode: string;
  villageCode: string | null;
  listedOn: string;
  supervisingUnit: string;
  status: 'supervising' | 'lifted' | 'closed';
  liftedOn: string | null;
  closedOn: string | null;
}

export interface InspectionRecord {
  id: number;
  listingId: number;
  kind: 'review' | 'cross_check' | 'spot_check';
  inspectedOn: string;
  inspectors: string;
  householdsChecked: number;
  villagesChecked: number;
  findings: string;
  createdBy: string;
}

export interface ProblemRecord {
  id: number;
  listingId: number;
  inspectionId: number;
  countyCode: string;
  villageCode: string | null;
  category: ProblemCategory;
  department: string;
  /** Its department in the county's registry (DepartmentRecord.id). */
  departmentId: number;
  /** 问题来源: the inspection that found it. */
  source: InspectionRecord['kind'];
  measures: string | null;
  responsiblePerson: string;
  signedBy: string | null;
  signedAt: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  verificationResult: 'passed' | 'failed' | null;
  verificationNote: string | null;
  description: string;
  foundOn: string;
  deadline: string;
  status: ProblemStatus;
  rectifiedOn: string | null;
  closedOn: string | null;
  version: number;
}

/** 责任单位: one department of a county, named as its problems name it. */
export interface DepartmentRecord {
  id: number;
  countyCode: string;
  name: string;
  kind: DepartmentKind;
  contact: string;
}

export interface HistoryRecord {
  problemId: number;
  changedAt: string;
  changedBy: string;
  action: string;
  fromStatus: ProblemStatus | null;
  toStatus: ProblemStatus;
  note: string | null;
}

export interface Ledger {
  departments: DepartmentRecord[];
  listings: ListingRecord[];
  inspections: InspectionRecord[];
  problems: ProblemRecord[];
  history: HistoryRecord[];
}

const CATEGORY_WEIGHTS: ReadonlyArray<readonly [ProblemCategory, number]> = [
  ['income', 0.15],
  ['employment', 0.15],
  ['compulsory_education', 0.08],
  ['basic_medical', 0.1],
  ['housing_safety', 0.12],
  ['drinking_water', 0.12],
  ['food_and_clothing', 0.03],
  ['procedure', 0.15],
  ['funds', 0.1],
];

/** The departments that answer for each kind of problem (责任单位). */
export const DEPARTMENTS_BY_CATEGORY: Readonly<Record<ProblemCategory, readonly string[]>> = {
  income: ['农业农村', '乡村振兴'],
  employment: ['人社', '工信'],
  compulsory_education: ['教育'],
  basic_medical: ['医保', '卫健'],
  housing_safety: ['住建'],
  drinking_water: ['水利'],
  food_and_clothing: ['民政', '残联'],
  procedure: ['乡村振兴'],
  funds: ['财政', '发改', '金融'],
};

const DESCRIPTIONS: Readonly<Record<ProblemCategory, readonly string[]>> = {
  income: [
    '{n}户脱贫户人均纯收入低于当年监测标准，未及时纳入监测',
    '{n}户家庭经营性收入下降明显，帮扶措施未跟进',
  ],
  employment: ['{n}户搬迁户家庭劳动力未实现稳定就业', '公益岗位{n}人存在“只拿钱不干活”现象'],
  compulsory_education: ['{n}名义务教育阶段适龄儿童辍学，劝返不及时', '{n}名残疾儿童未落实送教上门'],
  basic_medical: ['{n}人未参加城乡居民基本医疗保险', '{n}户慢病签约服务未落实'],
  housing_safety: ['{n}户住房安全等级鉴定为C级，未完成改造', '{n}户危房改造后未验收入住'],
  drinking_water: ['{n}户季节性缺水，供水保障不稳定', '饮水工程{n}处水质检测不达标'],
  food_and_clothing: ['{n}户低保对象未按时足额发放', '{n}户特困供养对象生活保障不到位'],
  procedure: ['{n}户扶贫手册信息与系统数据不一致', '{n}户监测对象识别程序不规范'],
  funds: ['衔接资金{n}万元拨付滞后', '{n}个帮扶项目资产未确权登记'],
};

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐';
const GIVEN = '建国明华军平志伟芳红霞丽强磊洋勇艳杰涛超秀兰英';

function personName(r: Random): string {
  return `${r.pick([...SURNAMES])}${r.pick([...GIVEN])}${r.chance(0.6) ? r.pick([...GIVEN]) : ''}`;
}

const day = 86_400_000;
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const fromDate = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** Generates the national ledger; the caller keeps the part inside its scale. */
export function generateLedger(
  seed: number,
  designations: Map<string, CountyDesignation>,
  villages: VillageRecord[],
  regionNames: Map<string, string>,
): Ledger {
  const asOf = fromDate(LEDGER_AS_OF);
  const villagesByCounty = new Map<string, VillageRecord[]>();
  for (const v of villages) {
    const list = villagesByCounty.get(v.countyCode);
    if (list) list.push(v);
    else villagesByCounty.set(v.countyCode, [v]);
  }
  const ledger: Ledger = { departments: [], listings: [], inspections: [], problems: [], history: [] };
  const units: Array<{ unitType: 'county' | 'village'; countyCode: string; village: VillageRecord | null }> =
    [
      ...[...designations.values()]
        .filter((d) => d.supervised)
        .sort((a, b) => a.countyCode.localeCompare(b.countyCode))
        .map((d) => ({ unitType: 'county' as const, countyCode: d.countyCode, village: null })),
      ...villages
        .filter((v) => v.supervised)
        .map((v) => ({ unitType: 'village' as const, countyCode: v.countyCode, village: v })),
    ];

  for (const unit of units) {
    const listingId = ledger.listings.length + 1;
    const key = unit.village?.code ?? unit.countyCode;
    const r = entityRandom(seed, 'listing', key);
    const provinceName = regionNames.get(unit.countyCode.slice(0, 2)) ?? '';
    const prefectureName = regionNames.get(unit.countyCode.slice(0, 4)) ?? '';
    const listing: ListingRecord = {
      id: listingId,
      unitType: unit.unitType,
      countyCode: unit.countyCode,
      villageCode: unit.village?.code ?? null,
      listedOn: toDate(Date.UTC(2020, 2, r.int(2, 20))),
      supervisingUnit:
        unit.unitType === 'county'
          ? `${provinceName}脱贫攻坚督战组`
          : `${prefectureName}${r.pick(['督战队', '驻村督战工作队'])}`,
      status: 'lifted',
      // The 52 counties were lifted through 2020, the last on 23 November.
      liftedOn: toDate(Date.UTC(2020, r.int(4, 10), r.int(1, 23))),
      closedOn: null,
    };
    ledger.listings.push(listing);

    const unitProblems: ProblemRecord[] = [];
    // The spring round every year (2020 always); from 2025 an autumn round before the annual
    // assessment too, so the recent ledger still has open and overdue work.
    const rounds: Array<{ year: number; autumn: boolean }> = [];
    for (let year = 2020; year <= 2026; year++) {
      if (year === 2020 || r.chance(0.55)) rounds.push({ year, autumn: false });
      if (year >= 2025 && r.chance(0.6)) rounds.push({ year, autumn: true });
    }
    for (const { year, autumn } of rounds) {
      const inspectionId = ledger.inspections.length + 1;
      const kind = autumn
        ? 'spot_check'
        : r.weighted([
            ['review', 0.45],
            ['cross_check', 0.3],
            ['spot_check', 0.25],
          ] as const);
      const month = autumn ? r.int(8, 9) : kind === 'review' ? 2 : kind === 'cross_check' ? 3 : 5;
      const inspectedOn = Date.UTC(year, month, r.int(5, 28));
      if (inspectedOn > asOf) continue;
      const county = unit.unitType === 'county';
      const nProblems = r.weighted(
        county
          ? ([
              [0, 0.1],
              [1, 0.25],
              [2, 0.3],
              [3, 0.2],
              [4, 0.15],
            ] as const)
          : ([
              [0, 0.35],
              [1, 0.4],
              [2, 0.2],
              [3, 0.05],
            ] as const),
      );
      const householdsChecked = county ? r.int(200, 600) : r.int(20, 80);
      ledger.inspections.push({
        id: inspectionId,
        listingId,
        kind,
        inspectedOn: toDate(inspectedOn),
        inspectors: Array.from({ length: r.int(2, 4) }, () => personName(r)).join('、'),
        householdsChecked,
        villagesChecked: county ? r.int(10, 30) : 1,
        findings: nProblems
          ? `走访${householdsChecked}户，发现问题${nProblems}个，已交办整改`
          : `走访${householdsChecked}户，未发现突出问题`,
        createdBy: `${prefectureName}督战组`,
      });
      for (let k = 0; k < nProblems; k++) {
        const problemId = ledger.problems.length + unitProblems.length + 1;
        unitProblems.push(
          simulateProblem(
            seed,
            ledger,
            listing,
            { id: inspectionId, kind },
            inspectedOn,
            asOf,
            villagesByCounty,
            problemId,
          ),
        );
      }
    }
    ledger.problems.push(...unitProblems);
    const allClosed = unitProblems.every((p) => p.status === 'closed');
    if (allClosed && r.chance(0.6)) {
      const lastClose = Math.max(
        fromDate(listing.liftedOn!),
        ...unitProblems.map((p) => fromDate(p.closedOn!)),
      );
      const closedOn = lastClose + r.int(10, 60) * day;
      if (closedOn <= asOf) {
        listing.status = 'closed';
        listing.closedOn = toDate(closedOn);
      }
    }
  }
  buildDepartments(seed, ledger);
  return ledger;
}

/** What each kind of problem's rectification records as its measures (整改措施). */
const MEASURES: Readonly<Record<ProblemCategory, readonly string[]>> = {
  income: ['落实产业奖补和小额信贷，纳入防返贫监测', '开发公益岗位安置，落实稳岗补贴'],
  employment: ['组织劳务输出和技能培训，实现稳定就业', '完善公益岗位考勤管理，清退不在岗人员'],
  compulsory_education: ['逐户劝返复学，落实控辍保学台账', '落实送教上门，建立一人一案'],
  basic_medical: ['代缴参保费用，完成参保登记', '落实家庭医生签约和慢病随访'],
  housing_safety: ['实施危房改造，竣工验收后入住', '鉴定复核并落实农房安全保障'],
  drinking_water: ['新建蓄水池并接通管网', '更换净化设备，复检水质达标'],
  food_and_clothing: ['补发低保资金，规范发放流程', '落实特困供养，签订照料协议'],
  procedure: ['逐户核对信息，更新系统数据', '重新履行识别程序，补齐资料'],
  funds: ['加快资金拨付，建立月调度机制', '完成项目资产确权登记和移交'],
};

/** The registry kind of a department named as the generator names them (住建 → housing). */
const KIND_OF_NAME = new Map(
  Object.entries(DEPARTMENT_KIND_LABELS).map(([kind, label]) => [label as string, kind as DepartmentKind]),
);

/**
 * Each county's department registry: one department per name its problems use, numbered in the
 * order they first appear, with a generated contact; every problem then points at its own.
 */
function buildDepartments(seed: number, ledger: Ledger) {
  const byKey = new Map<string, DepartmentRecord>();
  for (const problem of ledger.problems) {
    const key = `${problem.countyCode}:${problem.department}`;
    let department = byKey.get(key);
    if (!department) {
      const r = entityRandom(seed, 'department', key);
      department = {
        id: byKey.size + 1,
        countyCode: problem.countyCode,
        name: problem.department,
        kind: KIND_OF_NAME.get(problem.department) ?? 'other',
        contact: `${personName(r)} 0${r.int(800, 999)}-${r.int(2_000_000, 8_999_999)}`,
      };
      byKey.set(key, department);
    }
    problem.departmentId = department.id;
  }
  ledger.departments = [...byKey.values()];
}

/** Whether a county's departments sign for their problems in the ledger (a county-wide habit). */
function signingCounty(seed: number, countyCode: string): boolean {
  return entityRandom(seed, 'signing-county', countyCode).chance(0.5);
}

function simulateProblem(
  seed: number,
  ledger: Ledger,
  listing: ListingRecord,
  inspection: { id: number; kind: InspectionRecord['kind'] },
  foundOn: number,
  asOf: number,
  villagesByCounty: Map<string, VillageRecord[]>,
  problemId: number,
): ProblemRecord {
  const inspectionId = inspection.id;
  const r = entityRandom(seed, 'problem', `${listing.id}-${inspectionId}-${problemId}`);
  // A stream of its own for what the ledger records beyond the status (measures), so that adding
  // them left the statuses and dates of every problem as they were.
  const life = entityRandom(seed, 'problem-life', String(problemId));
  const category = r.weighted(CATEGORY_WEIGHTS);
  // A county listing's problems are mostly found in one of its villages.
  const countyVillages = villagesByCounty.get(listing.countyCode) ?? [];
  const villageCode =
    listing.villageCode ?? (countyVillages.length && r.chance(0.8) ? r.pick(countyVillages).code : null);
  const deadline = foundOn + r.pick([30, 45, 60, 90]) * day;
  // Drawn and not used, so that the draws after it (and so the whole ledger) stay as they were;
  // the handler is named after the problem's own department below.
  r.pick(DEPARTMENTS_BY_CATEGORY[category]);
  const responsiblePerson = personName(r);
  const verifier = '督战组';
  const problem: ProblemRecord = {
    id: problemId,
    listingId: listing.id,
    inspectionId,
    countyCode: listing.countyCode,
    villageCode,
    category,
    department: r.pick(DEPARTMENTS_BY_CATEGORY[category]),
    departmentId: 0, // set by buildDepartments
    source: inspection.kind,
    measures: null,
    responsiblePerson,
    signedBy: null,
    signedAt: null,
    verifiedBy: null,
    verifiedAt: null,
    verificationResult: null,
    verificationNote: null,
    description: r.pick(DESCRIPTIONS[category]).replace('{n}', String(r.int(1, 12))),
    foundOn: toDate(foundOn),
    deadline: toDate(deadline),
    status: 'open',
    rectifiedOn: null,
    closedOn: null,
    version: 1,
  };
  const handler = `${problem.department}部门 ${responsiblePerson}`;
  const history: HistoryRecord[] = [
    {
      problemId,
      changedAt: toDate(foundOn),
      changedBy: '督战组',
      action: 'reported',
      fromStatus: null,
      toStatus: 'open',
      note: null,
    },
  ];
  const move = (at: number, to: ProblemStatus, action: string, note: string | null = null) => {
    if (at > asOf) return false;
    // The department signs, works and submits; the supervision group verifies (closes or returns).
    const verifying = action === 'closed' || action === 'returned';
    history.push({
      problemId,
      changedAt: toDate(at),
      changedBy: verifying ? verifier : handler,
      action,
      fromStatus: problem.status,
      toStatus: to,
      note,
    });
    problem.status = to;
    problem.version += 1;
    if (to === 'signed') {
      problem.signedBy = handler;
      problem.signedAt = toDate(at);
    }
    if (to === 'rectified') {
      problem.rectifiedOn = toDate(at);
      problem.measures ??= life.pick(MEASURES[category]);
    }
    if (to === 'closed') problem.closedOn = toDate(at);
    if (to === 'in_progress') problem.rectifiedOn = null;
    if (verifying) {
      problem.verifiedBy = verifier;
      problem.verifiedAt = toDate(at);
      problem.verificationResult = action === 'closed' ? 'passed' : 'failed';
      problem.verificationNote = note;
    }
    return true;
  };
  // Most work starts within two weeks and finishes before the deadline; some lag, a few are
  // sent back at verification.
  let t = foundOn + r.int(2, 15) * day;
  // In the counties whose departments sign in the ledger themselves (about half), the department
  // signs for it (签收) within ten days of being handed it, before it starts work; elsewhere the
  // supervisor records the start directly, as ledgers kept without department accounts do.
  if (signingCounty(seed, listing.countyCode))
    move(Math.min(foundOn + life.int(1, 10) * day, t - day), 'signed', 'signed');
  // Recent problems lag more often: the ledger as of the reference day has work in hand.
  const recent = asOf - foundOn < 365 * day;
  const lagging = r.chance(recent ? 0.35 : 0.1);
  if (move(t, 'in_progress', 'started')) {
    t = lagging ? deadline + r.int(10, 200) * day : foundOn + (deadline - foundOn) * r.between(0.4, 0.95);
    if (move(t, 'rectified', 'rectified')) {
      t += r.int(5, 30) * day;
      if (r.chance(0.06)) {
        if (move(t, 'in_progress', 'returned', '复核未通过：整改不到位')) {
          t += r.int(10, 40) * day;
          if (move(t, 'rectified', 'rectified'))
            move(t + r.int(5, 20) * day, 'closed', 'closed', '复核通过，予以销号');
        }
      } else {
        move(t, 'closed', 'closed', '复核通过，予以销号');
      }
    }
  }
  ledger.history.push(...history);
  return problem;
}
