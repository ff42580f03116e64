// Overlays to switch on above the choropleth, each with the key to its colours.
import { type Lang, t } from '../i18n.ts';
import { STATUS_COLOURS } from '../map/palette.ts';
import { KEY_ASSISTANCE_COLOUR, SITE_COVERAGE, VILLAGE_INCOME_CLASSES } from '../map/style.ts';
import { OVERLAYS, type Overlay } from '../state/url-state.ts';

const STATUS_KEY = [
  [STATUS_COLOURS.overdue, 'statusOverdue'],
  [STATUS_COLOURS.supervising, 'statusSupervising'],
  [STATUS_COLOURS.lifted, 'statusLifted'],
  [STATUS_COLOURS.closed, 'statusClosed'],
] as const;

interface Props {
  overlays: readonly Overlay[];
  line: number | null;
  lang: Lang;
  onChange: (overlays: Overlay[]) => void;
}

export function LayerPanel({ overlays, line, lang, onChange }: Props) {
  const toggle = (o: Overlay) =>
    onChange(OVERLAYS.filter((x) => (x === o ? !overlays.includes(o) : overlays.includes(x))));
  return (
    <div className="layers" data-testid="layers">
      <div className="legend-title">{t('layers', lang)}</div>
      {OVERLAYS.map((o) => (
        <div key={o}>
          <label>
            <input
              type="checkbox"
              checked={overlays.includes(o)}
              onChange={() => toggle(o)}
              data-testid={`layer-${o}`}
            />
            {t(o, lang)}
          </label>
          {overlays.includes(o) && <Key overlay={o} line={line} lang={lang} />}
        </div>
      ))}
    </div>
  );
}

function Key({ overlay, line, lang }: { overlay: Overlay; line: number | null; lang: Lang }) {
  const swatches = (rows: readonly (readonly [string, string])[], round = true) => (
    <div className="key">
      {rows.map(([colour, label]) => (
        <span key={label}>
          <i className={round ? 'dot' : 'bar'} style={{ background: colour }} />
          {label}
        </span>
      ))}
    </div>
  );
  switch (overlay) {
    case 'villages':
      if (line != null)
        return swatches([
          ['#c81e1e', `< ${line} ${t('yuan', lang)}`],
          ['#4d9a5b', `≥ ${line} ${t('yuan', lang)}`],
        ]);
      return (
        <>
          {swatches(
            VILLAGE_INCOME_CLASSES.map((c, i) => {
              const next = VILLAGE_INCOME_CLASSES[i + 1];
              return [
                c.colour,
                next ? `${c.from / 1000}–${next.from / 1000}k` : `≥${c.from / 1000}k`,
              ] as const;
            }),
          )}
          <div className="muted small">{t('zoomForStatus', lang)}</div>
        </>
      );
    case 'sites':
      return (
        <>
          {swatches([
            [SITE_COVERAGE[0].colour, `${t('coverage', lang)} < 95%`],
            [SITE_COVERAGE[1].colour, '95–99.9%'],
            [SITE_COVERAGE[2].colour, '100%'],
          ])}
          <div className="muted small">{t('zoomForSites', lang)}</div>
        </>
      );
    case 'supervision':
      return swatches(
        STATUS_KEY.map(([colour, key]) => [colour, t(key, lang)] as const),
        false,
      );
    case 'keyAssistance':
      return swatches([[KEY_ASSISTANCE_COLOUR, t('keyAssistanceCounty', lang)]], false);
  }
}
