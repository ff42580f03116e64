// The leadership map: one indicator, one year, counties coloured by class, with a legend that says
// what each colour means and a banner when the data is the generated demo dataset.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { graphql } from './api.ts';
import { INDICATOR_INFO, INDICATORS, type Indicator, t } from './i18n.ts';
import { KpiCards, type Kpis } from './kpi-cards.tsx';
import { Legend, legendRows } from './legend.tsx';
import { downloadPicture } from './map/export-png.ts';
import { type ChoroplethValue, MapView } from './map/map-view.tsx';
import { classColours } from './map/palette.ts';
import {
  formatView,
  LEVELS,
  type Level,
  METHODS,
  type Method,
  parseView,
  type ViewState,
} from './state/url-state.ts';

interface Choropleth {
  breaks: number[];
  counts: number[];
  values: ChoroplethValue[];
  noData: string[];
}

const CHOROPLETH = `query($level: RegionLevel!, $indicator: Indicator!, $year: Int!, $method: ClassificationMethod, $classes: Int, $parent: String) {
  choropleth(level: $level, indicator: $indicator, year: $year, method: $method, classes: $classes, parentCode: $parent) {
    breaks counts values { code name value classIndex rank } noData
  }
}`;

const KPIS = `query($year: Int!, $parent: String, $level: RegionLevel!) {
  regionStats(level: $level, year: $year, parentCode: $parent) {
    isTotal name counties povertyVillages relocatedPeople perCapitaNetIncome employmentRate
    supervisedCounties supervisedVillages openProblems overdueProblems
  }
}`;

const UNITS = { PROVINCE: 'provinces', PREFECTURE: 'prefectures', COUNTY: 'counties' } as const;

export function App() {
  const [view, setView] = useState<ViewState>(() => parseView(window.location.search));
  const [choropleth, setChoropleth] = useState<Choropleth | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dataset, setDataset] = useState<{ label: string; demo: boolean } | null>(null);
  const [provinces, setProvinces] = useState<
    { name: string; labelPoint: { type: 'Point'; coordinates: [number, number] } | null }[]
  >([]);
  const [kpis, setKpis] = useState<Kpis | null>(null);
  const [region, setRegion] = useState<{
    name: string;
    bbox: [number, number, number, number] | null;
  } | null>(null);
  const lang = view.lang;

  useEffect(() => {
    window.history.replaceState(null, '', formatView(view));
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [view, lang]);

  useEffect(() => {
    graphql<{ dataset: { label: string; demo: boolean } | null; provinces: typeof provinces }>(
      '{ dataset { label demo } provinces { name labelPoint } }',
    )
      .then((d) => {
        setDataset(d.dataset);
        setProvinces(d.provinces);
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  useEffect(() => {
    let current = true;
    const parent = view.region;
    const variables = {
      level: view.level,
      indicator: view.indicator,
      year: view.year,
      method: view.method,
      classes: view.classes,
      parent,
    };
    graphql<{ choropleth: Choropleth }>(CHOROPLETH, variables)
      .then((d) => current && setChoropleth(d.choropleth))
      .catch((e: Error) => current && setError(e.message));
    const level = parent ? 'COUNTY' : 'PROVINCE';
    graphql<{ regionStats: (Kpis & { isTotal: boolean })[] }>(KPIS, { year: view.year, parent, level })
      .then((d) => current && setKpis(d.regionStats.find((r) => r.isTotal) ?? null))
      .catch((e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [view.indicator, view.year, view.method, view.classes, view.region, view.level]);

  useEffect(() => {
    if (!view.region) {
      setRegion(null);
      return;
    }
    graphql<{ region: { name: string; bbox: [number, number, number, number] | null } | null }>(
      'query($code: String!) { region(code: $code) { name bbox } }',
      { code: view.region },
    )
      .then((d) => setRegion(d.region))
      .catch((e: Error) => setError(e.message));
  }, [view.region]);

  const colours = useMemo(
    () => (choropleth ? classColours(view.indicator, choropleth.counts.length) : []),
    [choropleth, view.indicator],
  );
  const update = (patch: Partial<ViewState>) => setView((v) => ({ ...v, ...patch }));
  const mapRef = useRef<MapLibreMap | null>(null);
  const [playing, setPlaying] = useState(false);

  // Play steps through the years, a second each, from the current one round to 2014 again.
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(
      () => setView((v) => ({ ...v, year: v.year >= 2025 ? 2014 : v.year + 1 })),
      1_000,
    );
    return () => clearInterval(timer);
  }, [playing]);

  function exportPicture() {
    if (!mapRef.current || !choropleth) return;
    const info = INDICATOR_INFO[view.indicator];
    const place = region?.name ?? t('nation', lang);
    const rows = legendRows({
      indicator: view.indicator,
      year: view.year,
      breaks: choropleth.breaks,
      counts: choropleth.counts,
      colours,
      noData: choropleth.noData.length,
      lang,
    });
    downloadPicture(
      mapRef.current,
      {
        title: `${place} · ${info[lang]} · ${view.year}`,
        subtitle: `${t('title', lang)} · ${new Date().toISOString().slice(0, 10)} · ${t(view.method, lang)}`,
        legendTitle: `${info[lang]}${info.ratio ? '' : ` (${info.unit[lang]})`}`,
        legend: rows.map((r) => ({
          colour: r.colour,
          label: r.label,
          count: `${r.count} ${t('counties', lang)}`,
        })),
        note: dataset?.demo ? t('demoNote', lang) : null,
      },
      `map-${view.indicator.toLowerCase()}-${view.year}${view.region ? `-${view.region}` : ''}.png`,
    );
  }

  return (
    <div className="app">
      <header>
        <h1>{t('title', lang)}</h1>
        <nav className="crumbs" data-testid="breadcrumbs">
          {view.region ? (
            <>
              <button type="button" onClick={() => update({ region: null })}>
                {t('nation', lang)}
              </button>
              <span>›</span>
              <span className="here">{region?.name ?? view.region}</span>
            </>
          ) : (
            <span className="here">{t('nation', lang)}</span>
          )}
        </nav>
        <label>
          {t('indicator', lang)}
          <select
            value={view.indicator}
            onChange={(e) => update({ indicator: e.target.value as Indicator })}
            data-testid="indicator"
          >
            {INDICATORS.map((i) => (
              <option key={i} value={i}>
                {INDICATOR_INFO[i][lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('year', lang)} <strong data-testid="year-label">{view.year}</strong>
          <input
            type="range"
            min={2014}
            max={2025}
            value={view.year}
            onChange={(e) => update({ year: Number(e.target.value) })}
            data-testid="year"
          />
          <button
            type="button"
            onClick={() => setPlaying((p) => !p)}
            data-testid="play"
            aria-pressed={playing}
          >
            {playing ? t('pause', lang) : t('play', lang)}
          </button>
        </label>
        <label>
          {t('level', lang)}
          <select
            value={view.level}
            onChange={(e) => update({ level: e.target.value as Level })}
            data-testid="level"
          >
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(l, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('method', lang)}
          <select
            value={view.method}
            onChange={(e) => update({ method: e.target.value as Method })}
            data-testid="method"
          >
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {t(m, lang)}
              </option>
            ))}
          </select>
          <select
            value={view.classes}
            onChange={(e) => update({ classes: Number(e.target.value) })}
            data-testid="classes"
          >
            {[3, 4, 5, 6, 7, 8, 9].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => update({ lang: lang === 'zh' ? 'en' : 'zh' })}
          data-testid="language"
        >
          {t('language', lang)}
        </button>
        <button type="button" onClick={exportPicture} disabled={!choropleth} data-testid="export-png">
          {t('exportPng', lang)}
        </button>
      </header>
      {dataset?.demo && (
        <div className="banner" data-testid="demo-banner" title={dataset.label}>
          {t('demo', lang)}
        </div>
      )}
      {error && <div className="error">{error}</div>}
      <main>
        <MapView
          values={choropleth?.values ?? []}
          colours={colours}
          indicator={view.indicator}
          lang={lang}
          provinces={provinces}
          level={view.level}
          bbox={region?.bbox ?? null}
          onProvinceClick={(code) => setView((v) => (v.region ? v : { ...v, region: code }))}
          onMap={(map) => {
            mapRef.current = map;
          }}
        />
        {kpis && <KpiCards kpis={kpis} lang={lang} />}
        {choropleth ? (
          <Legend
            indicator={view.indicator}
            year={view.year}
            breaks={choropleth.breaks}
            counts={choropleth.counts}
            colours={colours}
            noData={choropleth.noData.length}
            lang={lang}
            unit={t(UNITS[view.level], lang)}
          />
        ) : (
          <div className="legend">{t('loading', lang)}</div>
        )}
      </main>
    </div>
  );
}
