// The legend: one row per class with its range and how many regions fall in it, and no data.
import type { Thematic } from './map/thematic.ts';

export function Legend({
  thematic,
  unit,
  testId = 'legend',
}: {
  thematic: Thematic;
  unit: string;
  testId?: string;
}) {
  return (
    <div className="legend" data-testid={testId}>
      <div className="legend-title">{thematic.title}</div>
      {thematic.legend.map((row) => (
        <div className="legend-row" key={row.label}>
          <span className="swatch" style={{ background: row.colour }} />
          <span className="range">{row.label}</span>
          <span className="count">
            {row.count} {unit}
          </span>
        </div>
      ))}
    </div>
  );
}
