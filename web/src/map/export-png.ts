// "A picture to paste into a report": the map as drawn, under a title band (indicator, year,
// region, date), with the legend, a scale bar, a north arrow when the map is turned, a demo-data
// note and a source line (data, boundaries, date) painted in, as a PNG download.

import type { Map as MapLibreMap } from 'maplibre-gl';
import { saveBlob } from '../save-file.ts';
import { releaseFirstPaint } from './first-paint.ts';

export interface PictureText {
  title: string;
  subtitle: string;
  /** Legend boxes, drawn from the bottom up (a county's villages above the regions around it). */
  legends: { title: string; rows: { colour: string; label: string; count: string }[] }[];
  /** Shown in the corner when the data is the generated demo dataset. */
  note: string | null;
  /** The footer: where the data and the boundaries come from, and the day the picture was made. */
  source: string;
  /** The South China Sea inset's map and title, drawn where it sits on the page, when shown. */
  inset?: { map: MapLibreMap; title: string } | null;
}

const BAND = 64;
const FOOTER = 26;
/** Metres per pixel at zoom 0 on the equator, for MapLibre's 512-pixel tiles. */
const METRES_PER_PIXEL_Z0 = 40_075_016.686 / 512;

/** The longest round length (1, 2 or 5 × 10^n metres) that fits in `maxPixels`, and its width. */
export function scaleBar(
  metresPerPixel: number,
  maxPixels: number,
): { metres: number; pixels: number; label: string } {
  const maxMetres = metresPerPixel * maxPixels;
  const power = 10 ** Math.floor(Math.log10(maxMetres));
  const step = [5, 2, 1].find((m) => m * power <= maxMetres) ?? 1;
  const metres = step * power;
  return {
    metres,
    pixels: metres / metresPerPixel,
    label: metres >= 1000 ? `${metres / 1000} km` : `${metres} m`,
  };
}
const FONT = '"Noto Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';

/** Composes the picture on a canvas (exported for tests). */
export function composePicture(map: MapLibreMap, text: PictureText): HTMLCanvasElement {
  const source = map.getCanvas();
  const scale = source.width / source.clientWidth || 1;
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height + (BAND + FOOTER) * scale;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  const width = source.clientWidth;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, BAND);
  ctx.fillStyle = '#1f2933';
  ctx.font = `600 20px ${FONT}`;
  ctx.fillText(text.title, 16, 28);
  ctx.font = `13px ${FONT}`;
  ctx.fillStyle = '#52606d';
  ctx.fillText(text.subtitle, 16, 50);
  ctx.drawImage(source, 0, BAND, width, source.clientHeight);

  // Legend boxes, bottom left, the last one lowest.
  let bottom = BAND + source.clientHeight - 16;
  for (const legend of [...text.legends].reverse()) bottom = drawLegend(ctx, legend, 16, bottom) - 8;
  if (text.note) {
    ctx.font = `12px ${FONT}`;
    ctx.fillStyle = '#8d2b0b';
    ctx.textAlign = 'right';
    const above = text.inset ? insetBox(map, text.inset.map).y - 44 : source.clientHeight;
    ctx.fillText(text.note, width - 16, BAND + above - 12);
    ctx.textAlign = 'left';
  }
  // The inset sits at the lower right, so the scale bar and note go above it.
  const insetTop = text.inset ? drawInset(ctx, map, text.inset) : null;
  drawScaleBar(ctx, map, width - 16, (insetTop ?? BAND + source.clientHeight) - 34);
  // In the title band's right end: on white, where nothing else is drawn.
  if (map.getBearing() !== 0) drawNorthArrow(ctx, map.getBearing(), width - 36, BAND / 2);

  // Footer: the source line.
  const footerTop = BAND + source.clientHeight;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, footerTop, width, FOOTER);
  ctx.fillStyle = '#52606d';
  ctx.font = `11px ${FONT}`;
  ctx.fillText(text.source, 16, footerTop + 17, width - 32);
  return canvas;
}

/** One legend box whose bottom edge is at `bottom`; returns its top edge. */
function drawLegend(
  ctx: CanvasRenderingContext2D,
  legend: PictureText['legends'][number],
  x: number,
  bottom: number,
): number {
  const rowHeight = 20;
  const boxHeight = 34 + legend.rows.length * rowHeight;
  const boxWidth = 250;
  const y = bottom - boxHeight;
  ctx.fillStyle = 'rgba(255,255,255,0.95)';
  ctx.fillRect(x, y, boxWidth, boxHeight);
  ctx.strokeStyle = '#d9e2ec';
  ctx.strokeRect(x, y, boxWidth, boxHeight);
  ctx.fillStyle = '#1f2933';
  ctx.font = `600 13px ${FONT}`;
  ctx.fillText(legend.title, x + 10, y + 20, boxWidth - 20);
  ctx.font = `12px ${FONT}`;
  legend.rows.forEach((row, i) => {
    const top = y + 30 + i * rowHeight;
    ctx.fillStyle = row.colour;
    ctx.fillRect(x + 10, top + 3, 18, 12);
    ctx.fillStyle = '#1f2933';
    ctx.fillText(row.label, x + 36, top + 13);
    ctx.fillStyle = '#616e7c';
    ctx.textAlign = 'right';
    ctx.fillText(row.count, x + boxWidth - 10, top + 13);
    ctx.textAlign = 'left';
  });
  return y;
}

/** Where the inset's map lies over the main map's canvas, in CSS pixels. */
function insetBox(map: MapLibreMap, inset: MapLibreMap) {
  const outer = map.getContainer().getBoundingClientRect();
  const inner = inset.getContainer().getBoundingClientRect();
  return { x: inner.left - outer.left, y: inner.top - outer.top, width: inner.width, height: inner.height };
}

/** The inset as on the page: its map, frame and title; returns its top edge on the picture. */
function drawInset(
  ctx: CanvasRenderingContext2D,
  map: MapLibreMap,
  inset: NonNullable<PictureText['inset']>,
): number {
  const box = insetBox(map, inset.map);
  const top = BAND + box.y;
  ctx.drawImage(inset.map.getCanvas(), box.x, top, box.width, box.height);
  ctx.strokeStyle = '#52606d';
  ctx.lineWidth = 1;
  ctx.strokeRect(box.x - 0.5, top - 0.5, box.width + 1, box.height + 1);
  ctx.fillStyle = '#323f4b';
  ctx.font = `11px ${FONT}`;
  ctx.textAlign = 'right';
  ctx.fillText(inset.title, box.x + box.width - 4, top + box.height - 4);
  ctx.textAlign = 'left';
  return top;
}

/** A scale bar at the map's centre latitude, right-aligned at (right, y). */
function drawScaleBar(ctx: CanvasRenderingContext2D, map: MapLibreMap, right: number, y: number): void {
  const latitude = map.getCenter().lat;
  const metresPerPixel = (METRES_PER_PIXEL_Z0 * Math.cos((latitude * Math.PI) / 180)) / 2 ** map.getZoom();
  const bar = scaleBar(metresPerPixel, 120);
  const left = right - bar.pixels;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(left - 6, y - 16, bar.pixels + 12, 26);
  ctx.strokeStyle = '#1f2933';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(left, y);
  ctx.lineTo(left, y + 6);
  ctx.lineTo(right, y + 6);
  ctx.lineTo(right, y);
  ctx.stroke();
  ctx.fillStyle = '#1f2933';
  ctx.font = `11px ${FONT}`;
  ctx.textAlign = 'center';
  // True at the centre's latitude only: on a national map the scale differs by half across China.
  const at = `${Math.abs(latitude).toFixed(0)}°${latitude >= 0 ? 'N' : 'S'}`;
  ctx.fillText(`${bar.label} (${at})`, left + bar.pixels / 2, y - 3);
  ctx.textAlign = 'left';
  ctx.lineWidth = 1;
}

/** A north arrow turned against the map's bearing (north is up when the bearing is 0). */
function drawNorthArrow(ctx: CanvasRenderingContext2D, bearing: number, x: number, y: number): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.beginPath();
  ctx.arc(0, 0, 18, 0, 2 * Math.PI);
  ctx.fill();
  ctx.rotate((-bearing * Math.PI) / 180);
  ctx.fillStyle = '#1f2933';
  ctx.font = `bold 10px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.fillText('N', 0, -6);
  ctx.beginPath();
  ctx.moveTo(0, -4);
  ctx.lineTo(6, 14);
  ctx.lineTo(0, 10);
  ctx.lineTo(-6, 14);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

/** The attributions the map's sources declare (the boundaries' origin), once each. */
export function mapAttributions(map: MapLibreMap): string[] {
  const texts = Object.keys(map.getStyle().sources).map(
    (id) => (map.getSource(id) as { attribution?: string } | undefined)?.attribution,
  );
  return [...new Set(texts.filter((a): a is string => Boolean(a)))];
}

/** Downloads the picture as a PNG file. */
export function downloadPicture(map: MapLibreMap, text: PictureText, fileName: string): void {
  // Repaint first so the drawing buffer holds the current frame (the inset's is kept: preserveDrawingBuffer),
  // drawn even if the first picture is still waiting for its tiles.
  releaseFirstPaint(map);
  map.triggerRepaint();
  map.once('render', () => {
    composePicture(map, text).toBlob((blob) => {
      if (blob) saveBlob(blob, fileName);
    }, 'image/png');
  });
}
