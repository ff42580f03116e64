// The county panel's 防止返贫监测 section: its monitored households by type and by cause, the
// months in which households were identified and had their risk removed, and — for a logged-in
// user allowed to see households — the early-warning list (预警户) with its export.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import { useQuery } from '../api.ts';
import { readsHouseholdsOf, useSession } from '../auth.ts';
import { MONITORING_FIRST_YEAR } from '../facts.ts';
import { graphql } from '../graphql.ts';
import { formatValue, type Lang, t } from '../i18n.ts';

const BREAKDOWN = graphql(`
  query($code: String!, $year: Int!) {
    monitoringBreakdown(regionCode: $code) {
      byType { type monitoring riskRemoved }
      byCause { cause households }
      byMonth { month identified riskRemoved }
    }
    monitoringStats(level: COUNTY, parentCode: $code, year: $year) { monitored earlyWarning removalRate underLine }
  }
`);

const WARNINGS = graphql(`
  query($code: String!) {
    households(filter: { regionCode: $code, earlyWarning: true }, first: 20, orderBy: { field: INCOME }) {
      totalCount
      edges { node { id number villageName type incomePerCapita monitoringLine } }
    }
  }
`);

const TYPE_LABELS: Record<string, { zh: string; en: string }> = {
  UNSTABLE: { zh: '脱贫不稳定户', en: 'Unstable lifted' },
  MARGINAL: { zh: '边缘易致贫户', en: 'Marginal' },
  SUDDEN_HARDSHIP: { zh: '突发严重困难户', en: 'Sudden hardship' },
};
const CAUSE_LABELS: Record<string, { zh: string; en: string }> = {
  ILLNESS: { zh: '因病', en: 'Illness' },
  DISABILITY: { zh: '因残', en: 'Disability' },
  SCHOOLING: { zh: '因学', en: 'Schooling' },
  DISASTER: { zh: '因灾', en: 'Disaster' },
  ACCIDENT: { zh: '因意外', en: 'Accident' },
  EPIDEMIC: { zh: '因疫', en: 'Epidemic' },
  BUSINESS_FAILURE: { zh: '因产业失败', en: 'Business failure' },
  UNSTABLE_WORK: { zh: '因务工就业不稳', en: 'Unstable work' },
  LACK_OF_LABOUR: { zh: '缺劳动力', en: 'Lack of labour' },
  OTHER: { zh: '其他', en: 'Other' },
};

export function MonitoringSection({
  code,
  year,
  lang,
  householdsLoading,
}: {
  code: string;
  year: number;
  lang: Lang;
  /** A first start is still loading the monitored households: nothing to ask yet (asked once they are in). */
  householdsLoading: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  // An error belongs to what was asked: asked again (another county, the households in), it goes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the props name what is asked
  useEffect(() => setError(null), [code, year, householdsLoading]);
  const data = useQuery(
    BREAKDOWN,
    householdsLoading ? null : { code, year: Math.max(year, MONITORING_FIRST_YEAR) },
    setError,
  );
  const session = useSession();
  const readsHouseholds = readsHouseholdsOf(session, code) && !householdsLoading;
  const warnings = useQuery(WARNINGS, readsHouseholds ? { code } : null, setError)?.households;
  const breakdown = data?.monitoringBreakdown;
  const stats = data?.monitoringStats[0];
  if (householdsLoading)
    return (
      <p className="muted" data-testid="county-monitoring-loading">
        {t('householdsLoading', lang)}
      </p>
    );
  if (error) return <p className="error">{error}</p>;
  if (!breakdown) return null;
  const f = (x: number | null | undefined) => formatValue(x ?? null, lang);
  const typeMax = Math.max(1, ...breakdown.byType.map((r) => r.monitoring + r.riskRemoved));
  const causeMax = Math.max(1, ...breakdown.byCause.map((r) => r.households));
  const exportFilter = encodeURIComponent(JSON.stringify({ regionCode: code, earlyWarning: true }));
  return (
    <section className="monitoring" data-testid="county-monitoring">
      <h3>{t('indicatorGroupMonitoring', lang)}</h3>
      {stats && (
        <p className="muted" data-testid="county-monitoring-stats">
          {Math.max(year, MONITORING_FIRST_YEAR)}: {lang === 'zh' ? '监测户' : 'monitored'}{' '}
          {f(stats.monitored)} · {lang === 'zh' ? '风险消除占比' : 'risk removed'}{' '}
          {formatValue(stats.removalRate, lang, { ratio: true })} ·{' '}
          {lang === 'zh' ? '预警户' : 'early warnings'} <strong>{f(stats.earlyWarning)}</strong>
        </p>
      )}
      <ul className="bars" data-testid="county-monitoring-types">
        {breakdown.byType.map((r) => (
          <li key={r.type}>
            <span>{TYPE_LABELS[r.type]?.[lang] ?? r.type}</span>
            <span className="bar">
              <span className="bar-now" style={{ width: `${(100 * r.monitoring) / typeMax}%` }} />
              <span className="bar-removed" style={{ width: `${(100 * r.riskRemoved) / typeMax}%` }} />
            </span>
            <span>
              {f(r.monitoring)} / {f(r.riskRemoved)}
            </span>
          </li>
        ))}
      </ul>
      <p className="muted">
        {lang === 'zh' ? '深色：监测中；浅色：风险已消除' : 'Dark: monitored; light: risk removed'}
      </p>
      <ul className="bars" data-testid="county-monitoring-causes">
        {breakdown.byCause.slice(0, 6).map((r) => (
          <li key={r.cause}>
            <span>{CAUSE_LABELS[r.cause]?.[lang] ?? r.cause}</span>
            <span className="bar">
              <span className="bar-now" style={{ width: `${(100 * r.households) / causeMax}%` }} />
            </span>
            <span>{f(r.households)}</span>
          </li>
        ))}
      </ul>
      <MonthChart months={breakdown.byMonth} lang={lang} />
      <h4>
        {lang === 'zh'
          ? '预警户（收入低于监测标准或高出不超过10%，且无在帮措施）'
          : 'Early warnings (income under the line or at most 10 % above it, and no measure running)'}
      </h4>
      {!session ? (
        <p className="muted" data-testid="county-warnings-login">
          {lang === 'zh' ? '登录后可查看预警户名单。' : 'Log in to see the households.'}
        </p>
      ) : !readsHouseholds ? (
        // Not "0 households": the list is another region's, which this user does not read.
        <p className="muted" data-testid="county-warnings-outside">
          {lang === 'zh' ? '该县不在您的管辖范围内，不显示户名单。' : 'This county is outside your region.'}
        </p>
      ) : warnings ? (
        <>
          <table className="warnings" data-testid="county-warnings">
            <tbody>
              {warnings.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>{node.number}</td>
                  <td>{node.villageName}</td>
                  <td>{TYPE_LABELS[node.type]?.[lang]}</td>
                  <td>
                    {f(node.incomePerCapita)} / {f(node.monitoringLine)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {f(warnings.totalCount)} {lang === 'zh' ? '户' : 'households'} ·{' '}
            <a href={`/export/households.csv?filter=${exportFilter}`} data-testid="county-warnings-export">
              {lang === 'zh' ? '导出 CSV' : 'Export CSV'}
            </a>
          </p>
        </>
      ) : null}
    </section>
  );
}

/** Households identified and risk removed per month (uPlot, two series). */
function MonthChart({
  months,
  lang,
}: {
  months: { month: string; identified: number; riskRemoved: number }[];
  lang: Lang;
}) {
  const box = useRef<HTMLDivElement>(null);
  const data = JSON.stringify(months);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `data` stands for months
  useEffect(() => {
    if (!months.length) return;
    const x = months.map((m) => Number(m.month.slice(0, 4)) + (Number(m.month.slice(5, 7)) - 1) / 12);
    const chart = new uPlot(
      {
        width: 300,
        height: 120,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [
          {
            values: (_u, ticks) => ticks.map((v) => String(Math.floor(v))),
            size: 24,
            font: '11px sans-serif',
          },
          { size: 40, font: '11px sans-serif' },
        ],
        series: [{}, { stroke: '#c0392b', width: 2 }, { stroke: '#2f8a3e', width: 2 }],
      },
      [x, months.map((m) => m.identified), months.map((m) => m.riskRemoved)],
      box.current!,
    );
    return () => chart.destroy();
  }, [data]);
  return (
    <figure className="trend" data-testid="county-monitoring-months">
      <figcaption>
        <span style={{ color: '#c0392b' }}>{lang === 'zh' ? '新识别' : 'identified'}</span> ·{' '}
        <span style={{ color: '#2f8a3e' }}>{lang === 'zh' ? '风险消除' : 'risk removed'}</span>{' '}
        {lang === 'zh' ? '（按月）' : '(per month)'}
      </figcaption>
      <div ref={box} />
    </figure>
  );
}
