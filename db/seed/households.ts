// Generated monitored households (防止返贫动态监测, #17), consistent with the village figures: a
// village's households of each type, summed, are its monitored counts of the last year, and those
// whose risk was removed by the end of that year are its risk-removed count. Each household draws
// from its own random stream (village code and number), so the same village yields the same
// households at every scale. Nothing here names a person: a household is a number.
import { LAST_YEAR } from '../src/facts.ts';
import {
  type HouseholdStatus,
  type HouseholdType,
  type LoanState,
  type MeasureKind,
  RISK_CAUSE_LABELS,
  type RiskCause,
} from '../src/tables/monitoring.ts';
import { MEAN_INCOME } from './calibration.ts';
import { entityRandom, type Random } from './random.ts';

const CAUSE_ORDER = Object.keys(RISK_CAUSE_LABELS) as RiskCause[];

/** The village figures a village's households are made to match (its last year). */
export interface MonitoredCounts {
  villageCode: string;
  unstable: number;
  marginal: number;
  suddenHardship: number;
  riskRemoved: number;
}

export interface HouseholdRecord {
  id: number;
  number: string;
  villageCode: string;
  size: number;
  labour: number;
  type: HouseholdType;
  causes: RiskCause[];
  identifiedOn: string;
  incomeYear: number;
  incomePerCapita: number;
  status: HouseholdStatus;
  removedOn: string | null;
  removalVerification: string | null;
  /** The summary of its measures, as db/src/monitoring/measures.ts keeps it. */
  firstMeasureOn: string | null;
  measuresUntil: string | null;
  loanBalanceYuan: number;
  loanOverdueYuan: number;
}

export interface MeasureRecord {
  householdId: number;
  kind: MeasureKind;
  description: string;
  startedOn: string;
  endedOn: string | null;
  amountYuan: number | null;
  loanTermMonths: number | null;
  loanState: LoanState | null;
  responsibleUnit: string;
}

export interface HistoryRecord {
  householdId: number;
  onDate: string;
  action: 'identified' | 'risk_removed' | 'reidentified';
  fromStatus: HouseholdStatus | null;
  toStatus: HouseholdStatus;
  note: string | null;
}

/** Who the generated history says recorded each entry. */
export const GENERATED_BY = 'system:demo';

/** The first monitoring year: the mechanism was set up in 2020 (the village figures start then). */
const FIRST_MONITORING_DAY = Date.UTC(2020, 3, 1);
/** Households and removals of the demo are dated up to the end of the figures' last year. */
const LAST_DAY = Date.UTC(LAST_YEAR, 11, 31);
const DAY = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The demo's monitoring line of a province and year — generated, not a published line: 6,000 yuan
 * in 2021 moved with the demo's mean income in the other years, times a factor of 0.95–1.10 per
 * province (each province sets its own). An admin's line or an imported one replaces it.
 */
export function demoMonitoringLine(seed: number, provinceCode: string, year: number): number {
  const base = 6_000 * ((MEAN_INCOME[year] ?? MEAN_INCOME[LAST_YEAR]!) / MEAN_INCOME[2021]!);
  const factor = 0.95 + 0.15 * entityRandom(seed, 'monitoring-line', provinceCode).next();
  return Math.round((base * factor) / 100) * 100;
}

export const DEMO_LINE_NOTE =
  '生成的演示值 (generated demo value, not a published line): 6,000 yuan in 2021 moved with the demo mean income, × 0.95–1.10 per province';

/** Monitoring-line years the demo seeds: every year households are assessed in. */
export const MONITORING_YEARS: readonly number[] = Array.from(
  { length: LAST_YEAR - 2020 + 1 },
  (_, i) => 2020 + i,
);

// Causes by type, weighted: illness and disability lead among unstable households, a sudden loss
// (illness, disaster, accident) among the sudden-hardship ones, unstable work among the marginal.
const CAUSE_WEIGHTS: Record<HouseholdType, readonly (readonly [RiskCause, number])[]> = {
  unstable: [
    ['illness', 30],
    ['disability', 15],
    ['lack_of_labour', 15],
    ['unstable_work', 15],
    ['schooling', 8],
    ['business_failure', 7],
    ['disaster', 4],
    ['accident', 3],
    ['epidemic', 1],
    ['other', 2],
  ],
  marginal: [
    ['unstable_work', 25],
    ['illness', 22],
    ['lack_of_labour', 15],
    ['disability', 10],
    ['schooling', 10],
    ['business_failure', 10],
    ['disaster', 3],
    ['accident', 2],
    ['epidemic', 1],
    ['other', 2],
  ],
  sudden_hardship: [
    ['illness', 35],
    ['disaster', 20],
    ['accident', 20],
    ['disability', 8],
    ['business_failure', 7],
    ['epidemic', 4],
    ['unstable_work', 3],
    ['other', 3],
  ],
};

const MEASURES: Record<MeasureKind, { descriptions: readonly string[]; unit: string; weight: number }> = {
  industry: {
    descriptions: ['发展庭院养殖', '种植经济作物补助', '入股合作社分红'],
    unit: '县农业农村局',
    weight: 30,
  },
  employment: {
    descriptions: ['推荐外出务工', '技能培训后就近就业', '帮扶车间就业'],
    unit: '县人社局',
    weight: 25,
  },
  public_welfare_post: {
    descriptions: ['村保洁公益岗位', '护林员公益岗位'],
    unit: '县乡村振兴局',
    weight: 15,
  },
  small_loan: { descriptions: ['脱贫人口小额信贷'], unit: '县农商银行', weight: 12 },
  health: { descriptions: ['大病保险和医疗救助', '家庭医生签约服务'], unit: '县医保局', weight: 18 },
  education: { descriptions: ['雨露计划补助', '义务教育阶段资助'], unit: '县教育局', weight: 8 },
  social_assistance: {
    descriptions: ['纳入农村低保', '纳入特困供养', '临时救助'],
    unit: '县民政局',
    weight: 12,
  },
  other: { descriptions: ['危房改造', '残疾人两项补贴'], unit: '县住建局', weight: 4 },
};
const MEASURE_WEIGHTS = Object.entries(MEASURES).map(([k, m]) => [k as MeasureKind, m.weight] as const);

const VERIFICATIONS = [
  '入户核实: 收入稳定超过监测范围, 两不愁三保障和饮水安全有保障',
  '村级评议、乡镇审核、县级审定',
  '入户核实: 务工收入稳定, 风险已消除',
] as const;

/** One village's households, measures and history; ids continue from `firstId`. */
export function villageHouseholds(
  seed: number,
  counts: MonitoredCounts,
  /** The province's monitoring line of the last year. */
  line: number,
  firstId: number,
): { households: HouseholdRecord[]; measures: MeasureRecord[]; history: HistoryRecord[] } {
  const households: HouseholdRecord[] = [];
  const measures: MeasureRecord[] = [];
  const history: HistoryRecord[] = [];
  const types: HouseholdType[] = [
    ...Array<HouseholdType>(counts.unstable).fill('unstable'),
    ...Array<HouseholdType>(counts.marginal).fill('marginal'),
    ...Array<HouseholdType>(counts.suddenHardship).fill('sudden_hardship'),
  ];
  // Which households had their risk removed: every k-th by a stable shuffle of the village's list.
  const order = entityRandom(seed, 'household-removed', counts.villageCode);
  const removed = new Set(shuffledIndexes(types.length, order).slice(0, counts.riskRemoved));
  for (const [i, type] of types.entries()) {
    const number = `${counts.villageCode}-${String(i + 1).padStart(4, '0')}`;
    const r = entityRandom(seed, 'household', number);
    const id = firstId + i;
    const size = Math.max(1, Math.min(9, Math.round(3.3 + 1.4 * r.normal())));
    const labour = Math.min(size, Math.max(0, Math.round(size * r.between(0.2, 0.7))));
    const causes = new Set<RiskCause>([r.weighted(CAUSE_WEIGHTS[type])]);
    if (r.chance(0.3)) causes.add(r.weighted(CAUSE_WEIGHTS[type]));
    if (labour === 0) causes.add('lack_of_labour');
    // More identified in the first years, when the mechanism found its households.
    const identified = FIRST_MONITORING_DAY + (LAST_DAY - 60 * DAY - FIRST_MONITORING_DAY) * r.next() ** 1.6;
    const isRemoved = removed.has(i);
    const removedAt = isRemoved ? identified + (LAST_DAY - identified) * r.between(0.3, 1) : null;
    // Income of the last year: around the line while monitored, comfortably above once removed.
    const incomeFactor = isRemoved ? 1.15 + 0.6 * r.next() : Math.exp(0.05 + 0.25 * r.normal());
    households.push({
      id,
      number,
      villageCode: counts.villageCode,
      size,
      labour,
      type,
      // In the vocabulary's order, as an import stores them: the same set is the same array.
      causes: CAUSE_ORDER.filter((c) => causes.has(c)),
      identifiedOn: iso(identified),
      incomeYear: LAST_YEAR,
      incomePerCapita: Math.round((line * incomeFactor) / 10) * 10,
      status: isRemoved ? 'risk_removed' : 'monitoring',
      removedOn: removedAt == null ? null : iso(removedAt),
      removalVerification: isRemoved ? r.pick(VERIFICATIONS) : null,
      firstMeasureOn: null,
      measuresUntil: null,
      loanBalanceYuan: 0,
      loanOverdueYuan: 0,
    });
    history.push({
      householdId: id,
      onDate: iso(identified),
      action: 'identified',
      fromStatus: null,
      toStatus: 'monitoring',
      note: null,
    });
    if (removedAt != null)
      history.push({
        householdId: id,
        onDate: iso(removedAt),
        action: 'risk_removed',
        fromStatus: 'monitoring',
        toStatus: 'risk_removed',
        note: null,
      });
    // Most households get one to three measures; some monitored ones have none yet, the cases
    // the early warning exists for.
    const measureCount =
      !isRemoved && r.chance(0.08)
        ? 0
        : r.weighted([
            [1, 45],
            [2, 35],
            [3, 20],
          ] as const);
    const kinds = new Set<MeasureKind>();
    while (kinds.size < measureCount) kinds.add(r.weighted(MEASURE_WEIGHTS));
    const household = households[households.length - 1]!;
    for (const kind of kinds) {
      const m = measure(r, id, kind, identified, removedAt);
      measures.push(m);
      summarise(household, m);
    }
  }
  return { households, measures, history };
}

function measure(
  r: Random,
  householdId: number,
  kind: MeasureKind,
  identified: number,
  removedAt: number | null,
): MeasureRecord {
  const spec = MEASURES[kind];
  const started = identified + r.between(5, 90) * DAY;
  // Measures of removed households have mostly ended; a small loan runs its term.
  const ended =
    kind !== 'small_loan' && removedAt != null && r.chance(0.7) ? Math.max(started, removedAt) : null;
  let loan: Pick<MeasureRecord, 'amountYuan' | 'loanTermMonths' | 'loanState'> = {
    amountYuan: null,
    loanTermMonths: null,
    loanState: null,
  };
  if (kind === 'small_loan') {
    const term = r.pick([12, 24, 36] as const);
    const due = started + term * 30.4 * DAY;
    loan = {
      amountYuan: r.int(2, 10) * 5_000,
      loanTermMonths: term,
      loanState: due < LAST_DAY && r.chance(0.9) ? 'repaid' : r.chance(0.03) ? 'overdue' : 'current',
    };
  }
  return {
    householdId,
    kind,
    description: r.pick(spec.descriptions),
    startedOn: iso(Math.min(started, LAST_DAY)),
    endedOn: ended == null ? null : iso(Math.min(ended, LAST_DAY)),
    ...loan,
    responsibleUnit: spec.unit,
  };
}

/** Adds a measure to its household's summary (the same rules as MEASURE_SUMMARY_SQL). */
function summarise(h: HouseholdRecord, m: MeasureRecord) {
  if (h.firstMeasureOn == null || m.startedOn < h.firstMeasureOn) h.firstMeasureOn = m.startedOn;
  const until = m.endedOn ?? 'infinity';
  if (
    h.measuresUntil !== 'infinity' &&
    (h.measuresUntil == null || until === 'infinity' || until > h.measuresUntil)
  )
    h.measuresUntil = until;
  if (m.kind === 'small_loan' && m.loanState !== 'repaid') {
    h.loanBalanceYuan += m.amountYuan!;
    if (m.loanState === 'overdue') h.loanOverdueYuan += m.amountYuan!;
  }
}

function shuffledIndexes(n: number, r: Random): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
