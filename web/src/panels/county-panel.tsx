// The side panel of a clicked county: its designations, the year's figures, trends and the counts
// that say where to look next (villages, supervised villages, sites, open and overdue problems).
import { useState } from 'react';
import { useQuery } from '../api.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import { formatValue, INDICATOR_INFO, INDICATORS, type Indicator, type Lang, t } from '../i18n.ts';
import { indicatorFormatter } from '../map/thematic.ts';
import { MonitoringSection } from './monitoring-section.tsx';
import { TrendChart } from './trend-chart.tsx';

/** The RegionYear field that holds each indicator. */
export const INDICATOR_FIELD: Record<Indicator, keyof YearFigures> = {
  PER_CAPITA_NET_INCOME: 'perCapitaNetIncome',
  EMPLOYMENT_RATE: 'employmentRate',
  OUT_MIGRANT_WORKERS: 'employedOutMigrant',
  MONITORED_PER_1000: 'monitoredPer1000',
  RISK_REMOVED_SHARE: 'riskRemovedShare',
  HOUSEHOLDS_UNDER_LINE: 'householdsUnderLine',
  PUBLIC_WELFARE_POSTS: 'publicWelfarePosts',
  RELOCATED_PEOPLE: 'relocatedPeople',
  RELOCATION_EMPLOYMENT_COVERAGE: 'relocationEmploymentCoverage',
};

const QUERY = graphql(`
  query($code: String!) {
    county(code: $code) {
      code name povertyCounty povertyExitYear keyAssistance keyAssistanceSource supervised
      province { name } prefecture { name }
      series {
        year perCapitaNetIncome employmentRate employedOutMigrant monitoredPer1000 riskRemovedShare householdsUnderLine publicWelfarePosts
        relocatedPeople relocationEmploymentCoverage villages supervisedVillages povertyVillages
      }
      relocationSites(first: 0) { totalCount }
      openProblems overdueProblems
    }
  }
`);
type CountyDetails = NonNullable<ResultOf<typeof QUERY>['county']>;
type YearFigures = CountyDetails['series'][number];

const CHART_COLOURS = ['#2f8a3e', '#2680c2', '#7b5ea7', '#c26b1a'];

interface Props {
  code: string;
  indicator: Indicator;
  year: number;
  lang: Lang;
  /** A first start is still loading the monitored households (app.tsx). */
  householdsLoading: boolean;
  onClose: () => void;
}

export function CountyPanel({ code, indicator, year, lang, householdsLoading, onClose }: Props) {
  const [error, setError] = useState<string | null>(null);
  const data = useQuery(QUERY, { code }, setError);

  const county = data?.county;
  const figures = county?.series.find((s) => s.year === year);
  // The map's indicator first, then income and employment (the two the national targets name).
  const charted = [...new Set<Indicator>([indicator, 'PER_CAPITA_NET_INCOME', 'EMPLOYMENT_RATE'])].slice(
    0,
    3,
  );
  const years = county?.series.map((s) => s.year) ?? [];

  return (
    <aside className="side-panel" data-testid="county-panel">
      <button type="button" className="close" onClick={onClose} aria-label={t('close', lang)}>
        ×
      </button>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p>{t('loading', lang)}</p>}
      {data && !county && <p>{t('noData', lang)}</p>}
      {county && (
        <>
          <h2 data-testid="county-name">{county.name}</h2>
          <p className="muted">
            {[county.province?.name, county.prefecture?.name].filter(Boolean).join(' · ')} · {county.code}
          </p>
          <ul className="tags">
            <li className={county.povertyCounty ? 'tag on' : 'tag'}>
              {county.povertyCounty
                ? `${t('povertyCounty', lang)}${county.povertyExitYear ? ` · ${county.povertyExitYear} ${t('exitYear', lang)}` : ''}`
                : t('notPovertyCounty', lang)}
            </li>
            {county.keyAssistance && (
              <li className="tag key" data-testid="key-assistance-tag">
                {t('keyAssistanceCounty', lang)}
                {county.keyAssistanceSource === 'GENERATED' ? t('generatedMark', lang) : ''}
              </li>
            )}
            {county.supervised && <li className="tag supervised">{t('supervisedCounty', lang)}</li>}
          </ul>
          <dl className="figures">
            {INDICATORS.map((i) => (
              <div key={i} className={i === indicator ? 'current' : undefined}>
                <dt>{INDICATOR_INFO[i][lang]}</dt>
                <dd
                  data-testid={i === indicator ? 'county-value' : undefined}
                  data-value={figures?.[INDICATOR_FIELD[i]] ?? ''}
                >
                  {figures?.[INDICATOR_FIELD[i]] != null
                    ? indicatorFormatter(i, lang, false)(Number(figures[INDICATOR_FIELD[i]]))
                    : t('noData', lang)}
                </dd>
              </div>
            ))}
          </dl>
          <dl className="counts" data-testid="county-counts">
            <Count label={t('monitoredVillages', lang)} value={figures?.villages} lang={lang} />
            <Count label={t('supervisedVillages', lang)} value={figures?.supervisedVillages} lang={lang} />
            <Count label={t('relocationSites', lang)} value={county.relocationSites.totalCount} lang={lang} />
            <Count
              label={t('openProblems', lang)}
              value={county.openProblems}
              lang={lang}
              testId="county-open"
            />
            <Count
              label={t('overdueProblems', lang)}
              value={county.overdueProblems}
              lang={lang}
              testId="county-overdue"
              alert={county.overdueProblems > 0}
            />
          </dl>
          <h3>
            {t('trend', lang)} {years[0]}–{years[years.length - 1]}
          </h3>
          {charted.map((i, n) => (
            <TrendChart
              key={i}
              title={INDICATOR_INFO[i][lang]}
              years={years}
              values={county.series.map((s) => (s[INDICATOR_FIELD[i]] as number | null) ?? null)}
              year={year}
              format={indicatorFormatter(i, lang, false)}
              colour={CHART_COLOURS[n]!}
              testId={n === 0 ? 'county-trend' : undefined}
            />
          ))}
          <MonitoringSection
            code={county.code}
            year={year}
            lang={lang}
            householdsLoading={householdsLoading}
          />
        </>
      )}
    </aside>
  );
}

function Count(props: {
  label: string;
  value: number | undefined;
  lang: Lang;
  testId?: string;
  alert?: boolean;
}) {
  return (
    <div className={props.alert ? 'alert' : undefined} data-testid={props.testId}>
      <dt>{props.label}</dt>
      <dd>{formatValue(props.value ?? null, props.lang)}</dd>
    </div>
  );
}
