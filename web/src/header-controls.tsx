// The map page's header: where the view is (breadcrumbs), and every control of the view — indicator,
// year and play, mode and monitoring line, level, classification, compare — with the links to the
// other pages, the language switch and the picture export. It only reads and patches the view state.
import { useEffect, useState } from 'react';
import { INDICATOR_INFO, type Indicator, type Lang, t } from './i18n.ts';

/** The indicator families, as the indicator menus group them. */
const INDICATOR_GROUPS: ReadonlyArray<
  readonly ['indicatorGroupIncome' | 'indicatorGroupMonitoring' | 'indicatorGroupRelocation', Indicator[]]
> = [
  [
    'indicatorGroupIncome',
    ['PER_CAPITA_NET_INCOME', 'EMPLOYMENT_RATE', 'OUT_MIGRANT_WORKERS', 'PUBLIC_WELFARE_POSTS'],
  ],
  ['indicatorGroupMonitoring', ['MONITORED_PER_1000', 'RISK_REMOVED_SHARE', 'HOUSEHOLDS_UNDER_LINE']],
  ['indicatorGroupRelocation', ['RELOCATED_PEOPLE', 'RELOCATION_EMPLOYMENT_COVERAGE']],
];

import { Link } from './router.tsx';
import {
  type BreaksProblem,
  drilledInto,
  FIRST_YEAR,
  LAST_YEAR,
  LEVELS,
  type Level,
  LINE_RANGE,
  levelsBelow,
  MAX_BREAKS,
  METHODS,
  type Method,
  parseBreaks,
} from './state/url-state.ts';
import type { Mode, ViewControls } from './state/use-view-state.ts';

interface Props extends ViewControls {
  /** The regions drilled through, from the province down, by name once the API said it. */
  crumbs: { code: string; name: string }[];
  onExport: () => void;
  canExport: boolean;
  /** The main map's class bounds as drawn: where a fixed legend starts from. */
  shownBreaks: readonly number[] | null;
  /** Where the values behind the map download from, or null where the browser worked them out. */
  dataUrl: ((format: 'csv' | 'xlsx') => string) | null;
  /** The download of values the browser worked out (the monitoring line's): a CSV only. */
  onCsv: (() => void) | null;
}

export function HeaderControls({
  view,
  update,
  playing,
  togglePlay,
  mode,
  setMode,
  setCompare,
  crumbs,
  shownBreaks,
  onExport,
  canExport,
  dataUrl,
  onCsv,
}: Props) {
  const lang = view.lang;
  const compare = view.compare;
  return (
    <header>
      <h1>{t('title', lang)}</h1>
      <nav className="crumbs" data-testid="breadcrumbs">
        {view.region ? (
          <>
            <button type="button" onClick={() => update({ region: null, county: null, camera: null })}>
              {t('nation', lang)}
            </button>
            {crumbs.map((crumb, i) => (
              <span key={crumb.code} className="crumb">
                <span>›</span>
                {i < crumbs.length - 1 ? (
                  // Back out of the county to the region's map as it was; above it, up to the
                  // province's prefecture map, as the reader came down it.
                  <button
                    type="button"
                    onClick={() =>
                      update(
                        crumb.code === view.region
                          ? { county: null, camera: null }
                          : drilledInto({ ...view, level: 'PREFECTURE' }, crumb.code),
                      )
                    }
                  >
                    {crumb.name}
                  </button>
                ) : (
                  <span className="here">{crumb.name}</span>
                )}
              </span>
            ))}
          </>
        ) : (
          <span className="here">{t('nation', lang)}</span>
        )}
      </nav>
      <label htmlFor="indicator">
        {t('indicator', lang)}
        <IndicatorSelect
          id="indicator"
          value={view.indicator}
          lang={lang}
          testId="indicator"
          onChange={(indicator) => update({ indicator, breaks: null })}
        />
      </label>
      <label>
        {t('year', lang)} <strong data-testid="year-label">{view.year}</strong>
        <input
          type="range"
          min={view.change ? FIRST_YEAR + 1 : FIRST_YEAR}
          max={LAST_YEAR}
          value={view.year}
          onChange={(e) => update({ year: Number(e.target.value) })}
          data-testid="year"
        />
        <button type="button" onClick={togglePlay} data-testid="play" aria-pressed={playing}>
          {playing ? t('pause', lang) : t('play', lang)}
        </button>
      </label>
      <label>
        {t('show', lang)}
        <select value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="mode">
          <option value="value">{t('modeValue', lang)}</option>
          <option value="change">{t('changeVsPrevious', lang)}</option>
          <option value="line">{t('monitoringLine', lang)}</option>
        </select>
      </label>
      {view.line != null && (
        <span className="control">
          <input
            type="range"
            min={LINE_RANGE.min}
            max={15_000}
            step={100}
            value={view.line}
            onChange={(e) => update({ line: Number(e.target.value) })}
            data-testid="line"
          />
          <input
            type="number"
            className="line-number"
            min={LINE_RANGE.min}
            max={LINE_RANGE.max}
            step={100}
            value={view.line}
            onChange={(e) => {
              const line = Number(e.target.value);
              if (line >= LINE_RANGE.min && line <= LINE_RANGE.max) update({ line: Math.round(line) });
            }}
            data-testid="line-number"
          />
          {t('yuan', lang)}
        </span>
      )}
      <label>
        {t('level', lang)}
        <select
          value={view.level}
          onChange={(e) => update({ level: e.target.value as Level })}
          data-testid="level"
        >
          {LEVELS.map((l) => (
            // A region's map colours the levels below it only.
            <option key={l} value={l} disabled={!levelsBelow(view.region).includes(l)}>
              {t(l, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('method', lang)}
        <select
          value={view.breaks ? 'FIXED' : view.method}
          onChange={(e) =>
            e.target.value === 'FIXED'
              ? update({ breaks: roundedBreaks(shownBreaks) ?? view.breaks })
              : update({ method: e.target.value as Method, breaks: null })
          }
          data-testid="method"
          disabled={mode === 'line'}
        >
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {t(m, lang)}
            </option>
          ))}
          <option value="FIXED" disabled={!view.breaks && !roundedBreaks(shownBreaks)}>
            {t('fixedBreaks', lang)}
          </option>
        </select>
        {view.breaks && mode !== 'line' ? (
          <BreaksInput breaks={view.breaks} lang={lang} onChange={(breaks) => update({ breaks })} />
        ) : (
          <select
            value={view.classes}
            onChange={(e) => update({ classes: Number(e.target.value) })}
            data-testid="classes"
            disabled={mode === 'line'}
          >
            {[3, 4, 5, 6, 7, 8, 9].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
      </label>
      <label>
        {t('compare', lang)}
        <select
          value={compare?.kind ?? 'off'}
          onChange={(e) => setCompare(e.target.value as 'off' | 'year' | 'indicator')}
          data-testid="compare"
        >
          <option value="off">{t('compareOff', lang)}</option>
          <option value="year">{t('compareYear', lang)}</option>
          <option value="indicator">{t('compareIndicator', lang)}</option>
        </select>
        {compare?.kind === 'year' && (
          <select
            value={compare.year}
            onChange={(e) => update({ compare: { kind: 'year', year: Number(e.target.value) } })}
            data-testid="compare-year"
          >
            {Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        )}
        {compare?.kind === 'indicator' && (
          <IndicatorSelect
            value={compare.indicator}
            lang={lang}
            testId="compare-indicator"
            onChange={(indicator) => update({ compare: { kind: 'indicator', indicator } })}
          />
        )}
      </label>
      {compare?.kind === 'year' && (
        <label title={t('separateLegendsHint', lang)}>
          <input
            type="checkbox"
            checked={view.separateLegends}
            onChange={(e) => update({ separateLegends: e.target.checked })}
            data-testid="separate-legends"
          />
          {t('separateLegends', lang)}
        </label>
      )}
      <Link to={`/supervision${lang === 'en' ? '?lang=en' : ''}`} testId="to-supervision">
        {t('supervision', lang)}
      </Link>
      <Link to={`/data${lang === 'en' ? '?lang=en' : ''}`} testId="to-data">
        {t('dataImport', lang)}
      </Link>
      <button
        type="button"
        onClick={() => update({ lang: lang === 'zh' ? 'en' : 'zh' })}
        data-testid="language"
      >
        {t('language', lang)}
      </button>
      <button type="button" onClick={onExport} disabled={!canExport} data-testid="export-png">
        {t('exportPng', lang)}
      </button>
      {dataUrl ? (
        <span className="export-data">
          {t('exportData', lang)}
          <a href={dataUrl('xlsx')} download data-testid="export-xlsx">
            Excel
          </a>
          <a href={dataUrl('csv')} download data-testid="export-csv">
            CSV
          </a>
        </span>
      ) : onCsv ? (
        <span className="export-data" title={t('exportDataLine', lang)}>
          {t('exportData', lang)}
          <button type="button" className="link" onClick={onCsv} data-testid="export-csv">
            CSV
          </button>
        </span>
      ) : (
        <span className="export-data">{t('exportData', lang)} —</span>
      )}
    </header>
  );
}

/**
 * Bounds to start a fixed legend from: the map's own, to two significant digits; null when fewer
 * than two distinct bounds are left (every region of one value), which is no legend to fix.
 */
function roundedBreaks(breaks: readonly number[] | null): number[] | null {
  const rounded = (breaks ?? []).map((b) => Number(b.toPrecision(2)));
  // Rounding can merge neighbours: keep strictly rising bounds.
  const rising = rounded.filter((b, i) => i === 0 || b > rounded[i - 1]!);
  return rising.length >= 2 ? rising : null;
}

function breaksProblem(p: BreaksProblem, lang: Lang): string {
  const zh = lang === 'zh';
  if (p.problem === 'notNumber') return zh ? `“${p.text}”不是数字` : `"${p.text}" is not a number`;
  if (p.problem === 'count')
    return zh
      ? `需要 2–${MAX_BREAKS} 个界值，现有 ${p.count} 个`
      : `give 2–${MAX_BREAKS} bounds, got ${p.count}`;
  return zh
    ? `界值须由低到高：${p.value} 不大于 ${p.after}`
    : `bounds must rise: ${p.value} after ${p.after}`;
}

/**
 * The fixed legend's bounds as text the reader edits; applied on Enter or leaving the field, or
 * left as they were with the problem said beside them.
 */
function BreaksInput(props: { breaks: number[]; lang: Lang; onChange: (breaks: number[]) => void }) {
  const [text, setText] = useState(props.breaks.join(', '));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setText(props.breaks.join(', ')), [props.breaks]);
  const apply = () => {
    const parsed = parseBreaks(text);
    if ('problem' in parsed) return setProblem(breaksProblem(parsed, props.lang));
    setProblem(null);
    props.onChange(parsed.breaks);
  };
  return (
    <span className="breaks-input">
      <input
        value={text}
        size={Math.max(12, text.length)}
        title={t('fixedBreaksHint', props.lang)}
        aria-invalid={problem !== null}
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => e.key === 'Enter' && apply()}
        data-testid="breaks"
      />
      {problem && (
        <span className="problem" role="alert" data-testid="breaks-problem">
          {problem}
        </span>
      )}
    </span>
  );
}

function IndicatorSelect(props: {
  id?: string;
  value: Indicator;
  lang: Lang;
  testId: string;
  onChange: (indicator: Indicator) => void;
}) {
  return (
    <select
      id={props.id}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value as Indicator)}
      data-testid={props.testId}
    >
      {INDICATOR_GROUPS.map(([group, members]) => (
        <optgroup key={group} label={t(group, props.lang)}>
          {members.map((i) => (
            <option key={i} value={i}>
              {INDICATOR_INFO[i][props.lang]}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
