// 挂牌: a supervisor (in their region) or an admin lists a county, or a village of it, for
// supervision. The server checks the place (the village lies in the county, it is not listed
// already, the date is not in the future) and names the field at fault; the page then opens the
// new listing.
import { useState } from 'react';
import { request } from '../api.ts';
import { chinaDay } from '../facts.ts';
import { graphql } from '../graphql.ts';
import type { Lang } from '../i18n.ts';
import { navigate } from '../router.tsx';
import { s, withLang } from './text.ts';

const CREATE = graphql('mutation($input: CreateListingInput!) { createListing(input: $input) { id } }');

export function NewListingForm(props: { lang: Lang; regionScope: string | null }) {
  const { lang } = props;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    const village = String(form.get('villageCode') ?? '').trim();
    try {
      const created = await request(CREATE, {
        input: {
          unitType: village ? 'VILLAGE' : 'COUNTY',
          countyCode: String(form.get('countyCode') ?? '').trim(),
          villageCode: village || null,
          listedOn: String(form.get('listedOn') ?? ''),
          supervisingUnit: String(form.get('supervisingUnit') ?? ''),
        },
      });
      navigate(withLang(`/supervision/listings/${created.createListing.id}`, lang));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="new-listing" data-testid="new-listing">
      <summary>{s('newListing', lang)}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit(new FormData(e.currentTarget));
        }}
      >
        <label className="stacked">
          {s('countyCode', lang)}
          <input
            name="countyCode"
            required
            pattern="\d{6}"
            inputMode="numeric"
            defaultValue={props.regionScope?.length === 6 ? props.regionScope : ''}
            placeholder={props.regionScope ? `${props.regionScope}…` : '520526'}
            data-testid="new-listing-county"
          />
        </label>
        <label className="stacked">
          {s('villageCodeOptional', lang)}
          <input name="villageCode" pattern="\d{12}" inputMode="numeric" data-testid="new-listing-village" />
        </label>
        <label className="stacked">
          {s('listedOn', lang)}
          <input name="listedOn" type="date" required max={chinaDay()} defaultValue={chinaDay()} />
        </label>
        <label className="stacked">
          {s('unit', lang)}
          <input name="supervisingUnit" required maxLength={100} data-testid="new-listing-unit" />
        </label>
        <button type="submit" disabled={busy} data-testid="new-listing-submit">
          {s('submit', lang)}
        </button>
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
      </form>
    </details>
  );
}
