// The legend: one row per class with its range and how many counties fall in it, and no data.
import { formatValue, INDICATOR_INFO, type Indicator, type Lang, t } from './i18n.ts';
import { NO_DATA_COLOUR } from './map/palette.ts';

export interface LegendProps {
  indicator: Indicator;
  year: number;
  breaks: number[];
  counts: number[];
  colours: string[];
  noData: number;
  lang: Lang;
  /** What is counted ("个县", "provinces"); counties by default. */
  unit?: string;
}

export function legendRows({ breaks, counts, colours, noData, indicator, lang }: LegendProps) {
  const info = INDICATOR_INFO[indicator];
  const f = (x: number) => formatValue(x, lang, { ratio: info.ratio });
  const rows = counts.map((count, i) => ({
    colour: colours[i]!,
    label: `${f(breaks[i]!)} – ${f(breaks[i + 1]!)}`,
    count,
  }));
  if (noData > 0) rows.push({ colour: NO_DATA_COLOUR, label: t('noData', lang), count: noData });
  return rows;
}

export function Legend(props: LegendProps) {
  const info = INDICATOR_INFO[props.indicator];
  return (
    <div className="legend" data-testid="legend">
      <div className="legend-title">
        {info[props.lang]} · {props.year}
        {info.ratio ? '' : ` (${info.unit[props.lang]})`}
      </div>
      {legendRows(props).map((row) => (
        <div className="legend-row" key={row.label}>
          <span className="swatch" style={{ background: row.colour }} />
          <span className="range">{row.label}</span>
          <span className="count">
            {row.count} {props.unit ?? t('counties', props.lang)}
          </span>
        </div>
      ))}
    </div>
  );
}
