// The supervision page: the listed counties and villages in the user's region with their status and
// open and overdue problems (sortable, filterable), the ledger in numbers, and the map beside them
// with the listed places coloured by worst status (overdue in red).

import { useMemo, useState } from 'react';
import { downloadExport, useQuery } from '../api.ts';
import { viewScope } from '../auth.ts';
import { DEFAULT_YEAR } from '../facts.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import { formatValue } from '../i18n.ts';
import { MapView } from '../map/map-view.tsx';
import { Link } from '../router.tsx';
import { SupervisionHeader, useRequiredSession } from './header.tsx';
import { NewListingForm } from './new-listing-form.tsx';
import { ProblemLine } from './problem-line.tsx';
import { langOfPage, s, withLang } from './text.ts';

/** The fields of a listed place that the list and the place's page both show. */
export const LISTING_SUMMARY = graphql(`
  fragment ListingSummary on Listing @_unmask {
    id unitType countyCode countyName townshipName villageName supervisingUnit status listedOn openProblems overdueProblems
  }
`);
export type ListingSummary = ResultOf<typeof LISTING_SUMMARY>;

const QUERY = graphql(
  `query($r: String) {
    listings(filter: { regionCode: $r }) { nodes { ...ListingSummary } }
    supervisionSummary(regionCode: $r) { total { total open signed inProgress rectified closed overdue rectificationRate } }
  }`,
  [LISTING_SUMMARY],
);

/** A department user's own open problems (the server answers their department's only). */
const MY_PROBLEMS = graphql(`
  query {
    problems(first: 100, filter: { statuses: [OPEN, SIGNED, IN_PROGRESS] }) {
      totalCount
      nodes { id listingId countyName villageName description deadline status overdue }
    }
  }
`);

const REGION_BBOX = graphql('query($c: String!) { region(code: $c) { bbox } }');
const ignore = () => {};

type SortKey =
  | 'countyName'
  | 'townshipName'
  | 'villageName'
  | 'supervisingUnit'
  | 'status'
  | 'openProblems'
  | 'overdueProblems';
const COLUMNS: [SortKey, Parameters<typeof s>[0]][] = [
  ['countyName', 'county'],
  ['townshipName', 'township'],
  ['villageName', 'village'],
  ['supervisingUnit', 'unit'],
  ['status', 'status'],
  ['openProblems', 'open'],
  ['overdueProblems', 'overdue'],
];

export function SupervisionPage() {
  const lang = langOfPage();
  const session = useRequiredSession();
  // A supervisor sees their region; a department user their department's county.
  const scope = viewScope(session);
  const department = session?.user.role === 'DEPARTMENT';
  const mine = useQuery(MY_PROBLEMS, session && department ? {} : null, ignore)?.problems;
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: 'overdueProblems',
    descending: true,
  });
  const data = useQuery(QUERY, session ? { r: scope } : null, setError);
  // Without the box the map shows the whole country: nothing to tell the user.
  const bbox =
    useQuery(REGION_BBOX, session && scope ? { c: scope.slice(0, 4) } : null, ignore)?.region?.bbox ?? null;

  const rows = useMemo(() => {
    const needle = search.trim();
    const filtered = (data?.listings.nodes ?? []).filter(
      (l) =>
        (!status || l.status === status) &&
        (!needle || [l.countyName, l.townshipName, l.villageName].some((x) => x?.includes(needle))),
    );
    const sign = sort.descending ? -1 : 1;
    return filtered.sort((a, b) => {
      const x = a[sort.key] ?? '';
      const y = b[sort.key] ?? '';
      return (
        (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh')) *
        sign
      );
    });
  }, [data, status, search, sort]);

  if (!session) return null;
  const total = data?.supervisionSummary.total;
  return (
    <div className="app supervision">
      <SupervisionHeader session={session} />
      {error && <div className="error">{error}</div>}
      <main className="split">
        <section className="listings">
          {total && (
            <div className="kpis inline" data-testid="ledger-summary">
              {(
                [
                  ['open', total.open + total.signed + total.inProgress],
                  ['RECTIFIED', total.rectified],
                  ['CLOSED', total.closed],
                  ['overdue', total.overdue],
                ] as const
              ).map(([key, value]) => (
                <div className="kpi" key={key}>
                  <div className="kpi-value">{formatValue(value, lang)}</div>
                  <div className="kpi-label">{s(key, lang)}</div>
                </div>
              ))}
              <div className="kpi">
                <div className="kpi-value">{formatValue(total.rectificationRate, lang, { ratio: true })}</div>
                <div className="kpi-label">{s('rate', lang)}</div>
              </div>
            </div>
          )}
          {mine && (
            <div className="my-problems" data-testid="my-problems">
              <h2>
                {s('myProblems', lang)} ({mine.totalCount})
              </h2>
              <ol>
                {mine.nodes.map((p) => (
                  <ProblemLine key={p.id} problem={p} lang={lang} testId={`my-problem-${p.id}`} />
                ))}
              </ol>
            </div>
          )}
          {(session.user.role === 'SUPERVISOR' || session.user.role === 'ADMIN') && (
            <NewListingForm lang={lang} regionScope={session.user.regionScope ?? null} />
          )}
          <div className="filters">
            <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="status-filter">
              <option value="">{s('all', lang)}</option>
              {(['SUPERVISING', 'LIFTED', 'CLOSED'] as const).map((x) => (
                <option key={x} value={x}>
                  {s(x, lang)}
                </option>
              ))}
            </select>
            <input
              type="search"
              placeholder={s('search', lang)}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              data-testid="listing-search"
            />
            <span className="muted">{rows.length}</span>
            <button
              type="button"
              data-testid="export-ledger"
              onClick={() =>
                downloadExport(
                  `/export/problems.xlsx${scope ? `?filter=${encodeURIComponent(JSON.stringify({ regionCode: scope }))}` : ''}`,
                  `问题台账${scope ? `-${scope}` : ''}.xlsx`,
                ).catch((e: Error) => setError(e.message))
              }
            >
              {s('exportLedger', lang)}
            </button>
          </div>
          <table className="ledger" data-testid="listings">
            <thead>
              <tr>
                {COLUMNS.map(([key, label]) => (
                  <th
                    key={key}
                    onClick={() =>
                      setSort((o) => ({ key, descending: o.key === key ? !o.descending : false }))
                    }
                    aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : undefined}
                  >
                    {s(label, lang)}
                    {sort.key === key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((l) => (
                <tr key={l.id} className={l.overdueProblems > 0 ? 'overdue' : undefined}>
                  <td>
                    <Link to={withLang(`/supervision/listings/${l.id}`, lang)} testId={`listing-${l.id}`}>
                      {l.countyName}
                    </Link>
                  </td>
                  <td>{l.townshipName ?? '—'}</td>
                  <td>{l.villageName ?? '—'}</td>
                  <td>{l.supervisingUnit}</td>
                  <td>{s(l.status, lang)}</td>
                  <td className="number">{l.openProblems}</td>
                  <td className="number">{l.overdueProblems}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="pane">
          <MapView
            name="main"
            thematic={null}
            lang={lang}
            year={DEFAULT_YEAR}
            provinces={[]}
            bbox={bbox}
            level="COUNTY"
            overlays={['supervision']}
            line={null}
            origins={null}
            selectedCounty={null}
            drill={null}
          />
        </section>
      </main>
    </div>
  );
}
