// The map page's view state: parsed from the URL once, written back on every change, with what the
// header's controls do to it (a mode switch, a compare choice, playing through the years).
import { useEffect, useState } from 'react';
import {
  type Compare,
  DEFAULT_LINE,
  FIRST_YEAR,
  formatView,
  LAST_YEAR,
  parseView,
  type ViewState,
} from './url-state.ts';

export type Mode = 'value' | 'change' | 'line';

export interface ViewControls {
  view: ViewState;
  update: (patch: Partial<ViewState>) => void;
  playing: boolean;
  togglePlay: () => void;
  mode: Mode;
  setMode: (mode: Mode) => void;
  setCompare: (kind: 'off' | Compare['kind']) => void;
}

export function useViewState(): ViewControls & {
  setView: (change: (view: ViewState) => ViewState) => void;
} {
  const [view, setView] = useState<ViewState>(() => parseView(window.location.search));
  const [playing, setPlaying] = useState(false);
  const update = (patch: Partial<ViewState>) => setView((v) => ({ ...v, ...patch }));

  useEffect(() => {
    window.history.replaceState(null, '', formatView(view));
    document.documentElement.lang = view.lang === 'zh' ? 'zh-CN' : 'en';
  }, [view]);

  // Play steps through the years, a second each, from the current one round to the first again.
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(
      () =>
        setView((v) => {
          const first = v.change ? FIRST_YEAR + 1 : FIRST_YEAR;
          return { ...v, year: v.year >= LAST_YEAR ? first : v.year + 1 };
        }),
      1_000,
    );
    return () => clearInterval(timer);
  }, [playing]);

  const mode: Mode = view.line != null ? 'line' : view.change ? 'change' : 'value';
  function setMode(next: Mode) {
    update({
      // A value and its change from last year have other units: fixed bounds do not carry over.
      breaks: next === mode ? view.breaks : null,
      change: next === 'change',
      line: next === 'line' ? (view.line ?? DEFAULT_LINE) : null,
      year: next === 'change' && view.year === FIRST_YEAR ? FIRST_YEAR + 1 : view.year,
    });
  }

  function setCompare(kind: 'off' | Compare['kind']) {
    const next: Compare | null =
      kind === 'year'
        ? { kind: 'year', year: view.year > FIRST_YEAR + 1 ? view.year - 5 : LAST_YEAR }
        : kind === 'indicator'
          ? {
              kind: 'indicator',
              indicator: view.indicator === 'EMPLOYMENT_RATE' ? 'PER_CAPITA_NET_INCOME' : 'EMPLOYMENT_RATE',
            }
          : null;
    update({ compare: next });
  }

  return {
    view,
    setView,
    update,
    playing,
    togglePlay: () => setPlaying((p) => !p),
    mode,
    setMode,
    setCompare,
  };
}
