// "A picture to paste into a report": the map as drawn, under a title band (indicator, year,
// region, date) and with the legend and a demo-data note painted in, as a PNG download.
import type { Map as MapLibreMap } from 'maplibre-gl';

export interface PictureText {
  title: string;
  subtitle: string;
  legendTitle: string;
  legend: { colour: string; label: string; count: string }[];
  /** Shown in the corner when the data is the generated demo dataset. */
  note: string | null;
}

const BAND = 64;
const FONT = '"Noto Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';

/** Composes the picture on a canvas (exported for tests). */
export function composePicture(map: MapLibreMap, text: PictureText): HTMLCanvasElement {
  const source = map.getCanvas();
  const scale = source.width / source.clientWidth || 1;
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height + BAND * scale;
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

  // Legend box, bottom left.
  const rowHeight = 20;
  const boxHeight = 34 + text.legend.length * rowHeight;
  const boxWidth = 250;
  const x = 16;
  const y = BAND + source.clientHeight - boxHeight - 16;
  ctx.fillStyle = 'rgba(255,255,255,0.95)';
  ctx.fillRect(x, y, boxWidth, boxHeight);
  ctx.strokeStyle = '#d9e2ec';
  ctx.strokeRect(x, y, boxWidth, boxHeight);
  ctx.fillStyle = '#1f2933';
  ctx.font = `600 13px ${FONT}`;
  ctx.fillText(text.legendTitle, x + 10, y + 20);
  ctx.font = `12px ${FONT}`;
  text.legend.forEach((row, i) => {
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
  if (text.note) {
    ctx.font = `12px ${FONT}`;
    ctx.fillStyle = '#8d2b0b';
    ctx.textAlign = 'right';
    ctx.fillText(text.note, width - 16, BAND + source.clientHeight - 12);
    ctx.textAlign = 'left';
  }
  return canvas;
}

/** Downloads the picture as a PNG file. */
export function downloadPicture(map: MapLibreMap, text: PictureText, fileName: string): void {
  // Repaint first so the drawing buffer holds the current frame.
  map.triggerRepaint();
  map.once('render', () => {
    composePicture(map, text).toBlob((blob) => {
      if (!blob) return;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    }, 'image/png');
  });
}
