// KPI cards for the current view (the whole country or the province drilled into, for the year).
import type { Kpis, MonitoringKpis } from './data/queries.ts';
import { formatValue, type Lang } from './i18n.ts';

const LABELS: Record<string, { zh: string; en: string }> = {
  counties: { zh: '县级单位', en: 'Counties' },
  povertyVillages: { zh: '贫困村', en: 'Poverty villages' },
  relocatedPeople: { zh: '搬迁人口', en: 'People relocated' },
  perCapitaNetIncome: { zh: '人均纯收入(元)', en: 'Income (yuan)' },
  employmentRate: { zh: '务工就业率', en: 'Employment rate' },
  supervised: { zh: '挂牌督战 县/村', en: 'Supervised counties / villages' },
  problems: { zh: '未销号 / 逾期问题', en: 'Open / overdue problems' },
  monitoring: { zh: '监测户 / 预警户', en: 'Monitored / early-warning households' },
};

export function KpiCards({
  kpis,
  monitoring,
  lang,
}: {
  kpis: Kpis;
  /** Null before 2020, when monitoring began. */
  monitoring: MonitoringKpis | null;
  lang: Lang;
}) {
  const f = (x: number | null) => formatValue(x, lang);
  const cards: [string, string][] = [
    ['counties', f(kpis.counties)],
    ['povertyVillages', f(kpis.povertyVillages)],
    ['relocatedPeople', f(kpis.relocatedPeople)],
    ['perCapitaNetIncome', f(kpis.perCapitaNetIncome)],
    ['employmentRate', formatValue(kpis.employmentRate, lang, { ratio: true })],
    ['supervised', `${f(kpis.supervisedCounties)} / ${f(kpis.supervisedVillages)}`],
    ['problems', `${f(kpis.openProblems)} / ${f(kpis.overdueProblems)}`],
  ];
  if (monitoring) cards.push(['monitoring', `${f(monitoring.monitored)} / ${f(monitoring.earlyWarning)}`]);
  return (
    <div className="kpis" data-testid="kpis">
      {cards.map(([key, value]) => (
        <div className="kpi" key={key} data-testid={`kpi-${key}`}>
          <div className="kpi-value">{value}</div>
          <div className="kpi-label">{LABELS[key]![lang]}</div>
        </div>
      ))}
    </div>
  );
}
