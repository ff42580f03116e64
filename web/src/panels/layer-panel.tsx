// Overlays to switch on above the choropleth, each with the key to its colours (from its folder in
// map/layers/).
import { type Lang, t } from '../i18n.ts';
import { OVERLAYS, type OverlayKey } from '../map/layers/registry.ts';

interface Props {
  overlays: readonly OverlayKey[];
  line: number | null;
  lang: Lang;
  onChange: (overlays: OverlayKey[]) => void;
}

export function LayerPanel({ overlays, line, lang, onChange }: Props) {
  // Kept in the registry's order, whatever the order of the clicks: the URL stays the same for the same map.
  const toggle = (key: OverlayKey) =>
    onChange(
      OVERLAYS.map((o) => o.key).filter((x) => (x === key ? !overlays.includes(key) : overlays.includes(x))),
    );
  return (
    <div className="layers" data-testid="layers">
      <div className="legend-title">{t('layers', lang)}</div>
      {OVERLAYS.map((o) => {
        const on = overlays.includes(o.key);
        const key = on ? o.legend(lang, line) : null;
        return (
          <div key={o.key}>
            <label>
              <input
                type="checkbox"
                checked={on}
                onChange={() => toggle(o.key)}
                data-testid={`layer-${o.key}`}
              />
              {o.label[lang]}
            </label>
            {key && (
              <>
                <div className="key">
                  {key.rows.map(({ colour, label }) => (
                    <span key={label}>
                      <i className={key.shape} style={{ background: colour }} />
                      {label}
                    </span>
                  ))}
                </div>
                {key.note && <div className="muted small">{key.note}</div>}
              </>
            )}
          </div>
        );
      })}
    </div>
  );
}
