// The leadership map: one indicator, one year, regions coloured by class, with a legend that says
// what each colour means, overlays, a side panel per county, a compare view, and a banner when the
// data is the generated demo dataset. Everything the user sets lives in the URL.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from './api.ts';
import {
  choroplethArgs,
  DATASET_AND_PROVINCES,
  HOUSEHOLD_INDICATORS,
  KPIS,
  mapValuesUrl,
  monitoringKpis,
  type Province,
  REGION,
  type SharedBreaks,
  useThematic,
  useVillageThematic,
  villageChoroplethArgs,
} from './data/queries.ts';
import { demoBanner, demoNote, sourceLine } from './demo-label.ts';
import { chinaDay, MONITORING_FIRST_YEAR } from './facts.ts';
import { HeaderControls } from './header-controls.tsx';
import { type Indicator, t } from './i18n.ts';
import { KpiCards } from './kpi-cards.tsx';
import { Legend } from './legend.tsx';
import { downloadPicture, mapAttributions } from './map/export-png.ts';
import { OVERLAY_KEYS, type OverlayKey } from './map/layers/registry.ts';
import { MapView } from './map/map-view.tsx';
import { syncMaps } from './map/sync.ts';
import type { Thematic } from './map/thematic.ts';
import { downloadCsv, thematicCsv } from './map/thematic-csv.ts';
import { LayerPanel } from './panels/layer-panel.tsx';
import { originFeatures, SitePanel, useSite } from './panels/site-panel.tsx';
import { type Camera, drillDown, FIRST_YEAR, formatCamera } from './state/url-state.ts';
import { useViewState } from './state/use-view-state.ts';

// The side panel and its chart library load on the first county click, not with the map.
const CountyPanel = lazy(() => import('./panels/county-panel.tsx').then((m) => ({ default: m.CountyPanel })));

/** The overlays with the relocation sites on, in the registry's order. */
function withSites(overlays: readonly OverlayKey[]): OverlayKey[] {
  return OVERLAY_KEYS.filter((key) => key === 'sites' || overlays.includes(key));
}

const UNITS = { PROVINCE: 'provinces', PREFECTURE: 'prefectures', COUNTY: 'counties' } as const;
/** How often the dataset is asked again while the monitored households are loading. */
const HOUSEHOLDS_POLL_MS = 10_000;
const NO_PROVINCES: Province[] = [];

export function App() {
  const { setView, ...controls } = useViewState();
  const { view, update } = controls;
  const [error, setError] = useState<string | null>(null);
  const [siteId, setSiteId] = useState<number | null>(null);
  const lang = view.lang;
  const onError = useCallback((message: string) => setError(message), []);

  // While a first start still loads the monitored households, the dataset is asked again every
  // few seconds: the monitoring figures appear once they are in.
  const [startRefresh, setStartRefresh] = useState(0);
  const start = useQuery(DATASET_AND_PROVINCES, {}, onError, { refresh: startRefresh, keepPrevious: true });
  const householdsLoading = start?.dataset?.householdsLoading ?? false;
  useEffect(() => {
    if (!householdsLoading) return;
    const timer = setInterval(() => setStartRefresh((n) => n + 1), HOUSEHOLDS_POLL_MS);
    return () => clearInterval(timer);
  }, [householdsLoading]);
  const dataset = start?.dataset ?? null;
  const provinces = start?.provinces ?? NO_PROVINCES;

  // Colours that mean the same value: while the years play, the breaks stay those shown when the
  // playback started (until it stops, or the map shows something else: then each year's own);
  // the compare view's two years of one indicator share breaks computed over both (unless the
  // reader asks for separate legends).
  const shownWhat = [view.indicator, view.level, view.method, view.classes, view.region, view.change].join(
    '|',
  );
  const [playback, setPlayback] = useState<{ what: string; breaks: number[] } | null>(null);
  const playBreaks = playback?.what === shownWhat && view.line == null ? playback.breaks : null;
  const compare = view.compare;
  const shareWithCompare =
    compare?.kind === 'year' &&
    !view.separateLegends &&
    (!view.change || (view.year > FIRST_YEAR && compare.year > FIRST_YEAR));
  // The reader's own bounds win over everything: fixed for every year, side and frame.
  const breaksFor = (otherYear: number): SharedBreaks =>
    view.breaks && view.line == null
      ? { breaks: view.breaks }
      : playBreaks
        ? { breaks: playBreaks }
        : shareWithCompare
          ? { overYears: [otherYear] }
          : null;
  const mainBreaks = breaksFor(compare?.kind === 'year' ? compare.year : view.year);
  // The two indicators counted from the households are asked once the dataset says they are in
  // (asked earlier, they would answer STILL_LOADING, and not be asked again when they land).
  const householdsKnown = start !== null && !householdsLoading;
  const canMap = (indicator: Indicator) => householdsKnown || !HOUSEHOLD_INDICATORS.includes(indicator);
  const thematic = useThematic(view, view.indicator, view.year, onError, canMap(view.indicator), mainBreaks);
  // Drilled into a county: its villages, classed by the same indicator and rules.
  const villages = useVillageThematic(view, onError);
  const villageArgs = villageChoroplethArgs(view);
  // The numbers behind the main map, as it is classed (a county's villages when drilled into one):
  // from the server, which classes them; the monitoring line's, worked out here, as a CSV made here.
  const lineShown = view.line != null ? (view.county ? villages : thematic) : null;
  const onCsv = lineShown
    ? () =>
        downloadCsv(
          thematicCsv(lineShown, lang),
          `map-line-${view.line}-${view.year}${view.region ? `-${view.region}` : ''}${view.county ? `-${view.county}-villages` : ''}.csv`,
        )
    : null;
  const dataUrl =
    view.line == null
      ? (format: 'csv' | 'xlsx') =>
          villageArgs
            ? mapValuesUrl(villageArgs, format, lang)
            : mapValuesUrl(choroplethArgs(view, view.indicator, view.year, mainBreaks), format, lang)
      : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: taken when the playback starts or stops only
  useEffect(() => {
    const breaks = thematic?.breaks;
    setPlayback(
      controls.playing && breaks && breaks.length >= 2 ? { what: shownWhat, breaks: [...breaks] } : null,
    );
  }, [controls.playing]);
  const banner = demoBanner(dataset, lang);
  const compareThematic = useThematic(
    view,
    compare?.kind === 'indicator' ? compare.indicator : view.indicator,
    compare?.kind === 'year' ? compare.year : view.year,
    onError,
    compare !== null && canMap(compare?.kind === 'indicator' ? compare.indicator : view.indicator),
    // Another indicator has other units: its own breaks.
    compare?.kind === 'year' ? breaksFor(view.year) : null,
  );

  // Drilled into a county, the compare side draws its villages too: the other year (with the main
  // side's village classes unless the reader asked for separate legends: the same colour, the same
  // values) or the other indicator (its own classes).
  const compareVillageView = compare
    ? {
        ...view,
        indicator: compare.kind === 'indicator' ? compare.indicator : view.indicator,
        year: compare.kind === 'year' ? compare.year : view.year,
        breaks:
          compare.kind === 'year' && !view.separateLegends && view.line == null && villages?.breaks
            ? [...villages.breaks]
            : view.breaks,
      }
    : { ...view, county: null };
  const compareVillages = useVillageThematic(compareVillageView, onError);

  // Asked once the dataset is known: the monitoring figures not while the households are loading
  // (the server would answer STILL_LOADING).
  const kpiAnswer = useQuery(
    KPIS,
    start
      ? {
          year: view.year,
          parent: view.region,
          level: view.region ? 'COUNTY' : 'PROVINCE',
          monitoring: view.year >= MONITORING_FIRST_YEAR && !householdsLoading,
        }
      : null,
    onError,
    { keepPrevious: true },
  );
  const kpis = kpiAnswer?.regionStats.find((r) => r.isTotal) ?? null;
  const monitoring = monitoringKpis(kpiAnswer);
  const region =
    useQuery(REGION, view.region ? { code: view.region } : null, onError, { keepPrevious: true })?.region ??
    null;
  // Above a prefecture, its province: the breadcrumbs lead back to it.
  const parentCode = view.region?.length === 4 ? view.region.slice(0, 2) : null;
  const parent =
    useQuery(REGION, parentCode ? { code: parentCode } : null, onError, { keepPrevious: true })?.region ??
    null;
  // Kept while the next county loads (the map stays put), but named only when it is this county.
  const county =
    useQuery(REGION, view.county ? { code: view.county } : null, onError, { keepPrevious: true })?.region ??
    null;
  const countyName = county?.code === view.county ? county.name : null;
  const crumbs = view.region
    ? [
        ...(parentCode ? [{ code: parentCode, name: parent?.name ?? parentCode }] : []),
        { code: view.region, name: region?.name ?? view.region },
        ...(view.county ? [{ code: view.county, name: countyName ?? view.county }] : []),
      ]
    : [];

  const site = useSite(siteId, view.year, onError);
  const origins = useMemo(() => (site ? originFeatures(site, lang) : null), [site, lang]);

  // The compare view keeps both maps on the same camera.
  const maps = useRef<{ main: MapLibreMap | null; compare: MapLibreMap | null; inset: MapLibreMap | null }>({
    main: null,
    compare: null,
    inset: null,
  });
  const [compareReady, setCompareReady] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: compareReady says a map was (re)created
  useEffect(() => {
    const { main, compare: second } = maps.current;
    if (!view.compare || !main || !second) return;
    return syncMaps(main, second);
  }, [view.compare, compareReady]);

  function exportPicture() {
    if (!maps.current.main || !thematic) return;
    // Drilled into a county, the picture is of its villages, with the regions around them.
    const shown = view.county && villages ? villages : thematic;
    const legendOf = (of: Thematic, unit: string) => ({
      title: of.title,
      rows: of.legend.map((r) => ({ colour: r.colour, label: r.label, count: `${r.count} ${unit}` })),
    });
    const regions = legendOf(thematic, t(UNITS[view.level], lang));
    const place = (view.county ? countyName : region?.name) ?? t('nation', lang);
    downloadPicture(
      maps.current.main,
      {
        title: `${place} · ${shown.title}`,
        subtitle: `${t('title', lang)} · ${chinaDay()} · ${t(view.method, lang)}`,
        legends: shown === thematic ? [regions] : [legendOf(shown, t('villagesUnit', lang)), regions],
        note: demoNote(dataset, lang),
        source: sourceLine(dataset, lang, mapAttributions(maps.current.main), chinaDay()),
        inset: maps.current.inset ? { map: maps.current.inset, title: t('southSeaIslands', lang) } : null,
      },
      `map-${view.indicator.toLowerCase()}-${view.year}${view.region ? `-${view.region}` : ''}${view.county ? `-${view.county}` : ''}.png`,
    );
  }

  // Only a move that changes what the URL says is written (the rounding hides sub-pixel jitter).
  const onCamera = useCallback(
    (camera: Camera) =>
      setView((v) => (v.camera && formatCamera(v.camera) === formatCamera(camera) ? v : { ...v, camera })),
    [setView],
  );
  const mapProps = {
    lang,
    provinces,
    level: view.level,
    // A county drilled into is framed; else its region (or the country).
    bbox: (view.county ? county?.bbox : region?.bbox) ?? null,
    region: view.region,
    overlays: view.overlays,
    line: view.line,
    origins,
    selectedCounty: view.county,
    // The national map drills into a province; a province's prefecture map into a prefecture.
    drill: !view.region
      ? ('province' as const)
      : view.region.length === 2 && view.level === 'PREFECTURE'
        ? ('prefecture' as const)
        : null,
    onDrill: (code: string) => setView((v) => drillDown(v, code)),
    // A county click drills into it: framed (no camera), its villages drawn, and its relocation
    // sites switched on with them (in the layer panel too, where the reader can switch them off).
    onCountyClick: (code: string) => {
      setSiteId(null);
      setView((v) => ({ ...v, county: code, camera: null, overlays: withSites(v.overlays) }));
    },
    onSiteClick: (id: number) => {
      update({ county: null });
      setSiteId(id);
    },
  };
  const unit = t(UNITS[view.level], lang);

  return (
    <div className="app">
      <HeaderControls
        {...controls}
        crumbs={crumbs}
        shownBreaks={thematic?.breaks ?? null}
        onExport={exportPicture}
        canExport={thematic !== null}
        dataUrl={dataUrl}
        onCsv={onCsv}
      />
      {banner && (
        <div className="banner" data-testid="demo-banner" title={dataset?.label}>
          {banner}
        </div>
      )}
      {householdsLoading && (
        <div className="banner" data-testid="households-loading">
          {t('householdsLoading', lang)}
        </div>
      )}
      {error && (
        <div className="error" role="alert">
          {error}
          <button type="button" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      <main className={compare ? 'compare' : undefined}>
        <section className="pane">
          <MapView
            {...mapProps}
            name="main"
            camera={view.camera}
            onCamera={onCamera}
            thematic={thematic}
            villages={villages}
            onInset={(map) => {
              maps.current.inset = map;
            }}
            year={view.year}
            onMap={(map) => {
              maps.current.main = map;
              setCompareReady((n) => n + 1);
            }}
          />
          <div className="legends">
            {view.county && villages && (
              <Legend thematic={villages} unit={t('villagesUnit', lang)} testId="legend-villages" />
            )}
            {view.county && !villageArgs && (
              <div className="legend" data-testid="legend-villages">
                {t('villagesNotClassed', lang)}
              </div>
            )}
            {thematic ? (
              <Legend thematic={thematic} unit={unit} />
            ) : (
              <div className="legend">{t('loading', lang)}</div>
            )}
          </div>
          <LayerPanel
            overlays={view.overlays}
            line={view.line}
            lang={lang}
            onChange={(overlays) => update({ overlays })}
          />
        </section>
        {compare && (
          <section className="pane">
            <MapView
              {...mapProps}
              name="compare"
              camera={view.camera}
              onCamera={onCamera}
              thematic={compareThematic}
              villages={compareVillages}
              year={compare.kind === 'year' ? compare.year : view.year}
              onMap={(map) => {
                maps.current.compare = map;
                setCompareReady((n) => n + 1);
              }}
            />
            {compareThematic && (
              <div className="legends">
                {view.county && compareVillages && (
                  <Legend
                    thematic={compareVillages}
                    unit={t('villagesUnit', lang)}
                    testId="legend-compare-villages"
                  />
                )}
                <Legend thematic={compareThematic} unit={unit} testId="legend-compare" />
              </div>
            )}
          </section>
        )}
        {kpis && !view.county && !site && <KpiCards kpis={kpis} monitoring={monitoring} lang={lang} />}
        {view.county && (
          <Suspense fallback={<aside className="side-panel">{t('loading', lang)}</aside>}>
            <CountyPanel
              code={view.county}
              indicator={view.indicator}
              year={view.year}
              lang={lang}
              householdsLoading={!householdsKnown}
              onClose={() => update({ county: null, camera: null })}
            />
          </Suspense>
        )}
        {site && !view.county && <SitePanel site={site} lang={lang} onClose={() => setSiteId(null)} />}
      </main>
    </div>
  );
}
