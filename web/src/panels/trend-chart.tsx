// A small line chart of one figure over the years (uPlot: small, canvas-drawn, kept; no wrapper needed).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  title: string;
  years: number[];
  values: (number | null)[];
  /** The year shown on the map, marked with a dashed line. */
  year: number;
  format: (value: number) => string;
  colour: string;
  testId?: string;
}

export function TrendChart({ title, years, values, year, format, colour, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  // The parent builds new arrays and functions on each render: redraw only when the numbers change.
  const latest = useRef({ years, values, format });
  latest.current = { years, values, format };
  const data = JSON.stringify([years, values]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `data` stands for years and values
  useEffect(() => {
    const { years, values, format } = latest.current;
    const chart = new uPlot(
      {
        width: 300,
        height: 120,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [
          { values: (_u, ticks) => ticks.map((x) => String(x)), size: 24, font: '11px sans-serif' },
          { values: (_u, ticks) => ticks.map((v) => format(v)), size: 60, font: '11px sans-serif' },
        ],
        series: [{}, { stroke: colour, width: 2, points: { show: true, size: 4 } }],
        hooks: {
          draw: [
            (u) => {
              const x = u.valToPos(year, 'x', true);
              const ctx = u.ctx;
              ctx.save();
              ctx.strokeStyle = 'rgba(31, 41, 51, 0.4)';
              ctx.setLineDash([4, 3]);
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.restore();
            },
          ],
        },
      },
      [years, values as number[]],
      box.current!,
    );
    return () => chart.destroy();
  }, [data, year, colour]);
  return (
    <figure className="trend" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={box} />
    </figure>
  );
}
