// A selected relocation site: where its households came from. The map draws a line to each origin
// village, labelled with its household count.
import { useQuery } from '../api.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import { formatValue, type Lang, t } from '../i18n.ts';
import type { GeoJsonFeatures } from '../map/map-view.tsx';

const QUERY = graphql(`
  query($id: ID!, $year: Int!) {
    relocationSite(id: $id) {
      siteId name location county { name }
      figures(year: $year) { people employmentCoverage }
      originVillages { villageCode households village { name location } }
    }
  }
`);
export type SiteDetails = NonNullable<ResultOf<typeof QUERY>['relocationSite']>;

/** The lines and labelled origin points for the map. */
export function originFeatures(site: SiteDetails, lang: Lang): GeoJsonFeatures {
  const features: unknown[] = [];
  for (const origin of site.originVillages) {
    const from = origin.village?.location;
    if (!from || !site.location) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: [from.coordinates, site.location.coordinates] },
      properties: { households: origin.households },
    });
    features.push({
      type: 'Feature',
      geometry: from,
      properties: { label: `${origin.village!.name} ${origin.households} ${t('households', lang)}` },
    });
  }
  return { type: 'FeatureCollection', features };
}

export function useSite(id: number | null, year: number, onError: (m: string) => void) {
  return useQuery(QUERY, id === null ? null : { id: String(id), year }, onError)?.relocationSite ?? null;
}

export function SitePanel({ site, lang, onClose }: { site: SiteDetails; lang: Lang; onClose: () => void }) {
  const households = site.originVillages.reduce((sum, o) => sum + o.households, 0);
  return (
    <aside className="side-panel" data-testid="site-panel">
      <button type="button" className="close" onClick={onClose} aria-label={t('close', lang)}>
        ×
      </button>
      <h2>{site.name}</h2>
      <p className="muted">
        {t('sites', lang)} · {site.county.name}
      </p>
      <dl className="counts">
        <div>
          <dt>{t('sitePeople', lang)}</dt>
          <dd>{formatValue(site.figures?.people ?? null, lang)}</dd>
        </div>
        <div>
          <dt>{t('coverage', lang)}</dt>
          <dd>{formatValue(site.figures?.employmentCoverage ?? null, lang, { ratio: true })}</dd>
        </div>
        <div>
          <dt>{t('origins', lang)}</dt>
          <dd data-testid="site-origins">{site.originVillages.length}</dd>
        </div>
        <div>
          <dt>{t('siteHouseholds', lang)}</dt>
          <dd>{formatValue(households, lang)}</dd>
        </div>
      </dl>
      <ol className="origins">
        {site.originVillages.map((o) => (
          <li key={o.villageCode}>
            {o.village?.name ?? '—'}{' '}
            <span className="muted">
              {o.households} {t('households', lang)}
            </span>
          </li>
        ))}
      </ol>
    </aside>
  );
}
