// A listed place: its problem ledger with each problem's history, its inspections, and — for users
// who may write here — forms to report a problem, record an inspection and move a problem along.
import { useCallback, useState } from 'react';
import { ApiError, downloadExport, request, useQuery } from '../api.ts';
import { canActOnProblems, canWrite } from '../auth.ts';
import { chinaDay } from '../facts.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import type { Lang } from '../i18n.ts';
import { AttachEvidence, EVIDENCE_ACCEPT, EvidenceList, uploadAll } from './evidence.tsx';
import { SupervisionHeader, useRequiredSession } from './header.tsx';
import { InspectionForm, ReportProblemForm } from './listing-forms.tsx';
import { LISTING_SUMMARY } from './supervision-page.tsx';
import { CATEGORIES, langOfPage, SOURCES, s } from './text.ts';

const QUERY = graphql(
  `query($id: Int!) {
    listing(id: $id) {
      ...ListingSummary villageCode version history { changedAt changedBy action }
      inspections { id kind inspectedOn inspectors householdsChecked villagesChecked findings problemsFound }
    }
    problems(first: 200, filter: { listingId: $id }) {
      nodes { id category department description foundOn deadline status overdue version nextStatuses measures }
    }
  }`,
  [LISTING_SUMMARY],
);
type Problem = ResultOf<typeof QUERY>['problems']['nodes'][number];

/** A problem's record and history, asked for when its row is opened (the list stays light). */
const DETAILS = graphql(`
  query($id: Int!) {
    problem(id: $id) {
      id status version source measures responsiblePerson signedBy signedAt verification { by at passed note }
      evidence { id fileName size url thumbnailUrl attachedBy }
      history { changedAt changedBy action fromStatus toStatus note changes { field from to } }
    }
  }
`);

const MOVE = graphql(`
  mutation($id: Int!, $v: Int!, $s: ProblemStatus!, $note: String) {
    updateProblemStatus(id: $id, expectedVersion: $v, status: $s, note: $note) { id }
  }
`);

/** Marking a problem rectified submits its measures (the server requires them) and evidence with the move. */
const SUBMIT_RECTIFICATION = graphql(`
  mutation($id: Int!, $v: Int!, $measures: String!, $note: String, $evidence: [EvidenceInput!]) {
    submitRectification(id: $id, expectedVersion: $v, measures: $measures, note: $note, evidence: $evidence) { id }
  }
`);
export function ListingPage({ id }: { id: number }) {
  const lang = langOfPage();
  const session = useRequiredSession();
  const [error, setError] = useState<string | null>(null);
  // Asked again after each write; the page keeps showing the last answer meanwhile.
  const [version, setVersion] = useState(0);
  const load = useCallback(() => setVersion((v) => v + 1), []);
  const answer = useQuery(QUERY, session ? { id } : null, setError, { keepPrevious: true, refresh: version });
  const data = answer && { listing: answer.listing, problems: answer.problems.nodes };

  if (!session) return null;
  const listing = data?.listing;
  // Reporting and inspections are the supervisor's; a department user acts on its own problems.
  const writable = listing ? canWrite(session, listing.countyCode) : false;
  const acting = listing ? canActOnProblems(session, listing.countyCode) : false;
  const department = session.user.role === 'DEPARTMENT';
  const place = listing
    ? [listing.countyName, listing.townshipName, listing.villageName].filter(Boolean).join(' · ')
    : '';
  return (
    <div className="app supervision">
      <SupervisionHeader session={session}>
        <span className="here" data-testid="place">
          {place}
        </span>
      </SupervisionHeader>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {data && !listing && <div className="page">{s('none', lang)}</div>}
      {listing && (
        <main className="page place">
          <p className="muted">
            {s(listing.status, lang)} · {s('listedOn', lang)} {listing.listedOn} · {s('unit', lang)}{' '}
            {listing.supervisingUnit}
            {' · '}
            <span data-testid="place-open">
              {s('open', lang)} {listing.openProblems}
            </span>
            {' · '}
            <span className={listing.overdueProblems ? 'alert' : undefined}>
              {s('overdue', lang)} {listing.overdueProblems}
            </span>
          </p>
          <p className="muted" data-testid="listing-history">
            {listing.history
              .map(
                (h) =>
                  `${chinaDay(new Date(h.changedAt))} ${listingAction(h.action, lang)}（${h.changedBy}）`,
              )
              .join(' → ')}
          </p>
          {department && (
            <p className="muted" data-testid="department-only">
              {s('departmentOnly', lang)}
            </p>
          )}
          {!acting && (
            <p className="muted" data-testid="read-only">
              {s('readOnly', lang)}
            </p>
          )}
          {writable && (
            <div className="forms">
              <ReportProblemForm listing={listing} lang={lang} onDone={load} />
              <InspectionForm listing={listing} lang={lang} onDone={load} />
            </div>
          )}
          <h2>
            {s('ledger', lang)} ({data.problems.length}){' '}
            <button
              type="button"
              onClick={() =>
                downloadExport(
                  `/export/problems.xlsx?filter=${encodeURIComponent(JSON.stringify({ listingId: listing.id }))}`,
                  `问题台账-${listing.id}.xlsx`,
                ).catch((e: Error) => setError(e.message))
              }
            >
              {s('exportLedger', lang)}
            </button>{' '}
            <button
              type="button"
              data-testid="ledger-sheet"
              onClick={() =>
                downloadExport(
                  `/export/ledger-sheet.xlsx?county=${listing.countyCode}`,
                  `${listing.countyName}问题整改台账.xlsx`,
                ).catch((e: Error) => setError(e.message))
              }
            >
              {s('ledgerSheet', lang)}
            </button>
          </h2>
          <table className="ledger" data-testid="ledger">
            <thead>
              <tr>
                <th>#</th>
                <th>{s('category', lang)}</th>
                <th>{s('description', lang)}</th>
                <th>{s('department', lang)}</th>
                <th>{s('foundOn', lang)}</th>
                <th>{s('deadline', lang)}</th>
                <th>{s('status', lang)}</th>
                {acting && <th>{s('moveTo', lang)}</th>}
              </tr>
            </thead>
            <tbody>
              {data.problems.map((p) => (
                <ProblemRow key={p.id} problem={p} lang={lang} writable={acting} onDone={load} />
              ))}
            </tbody>
          </table>
          <h2>{s('inspections', lang)}</h2>
          <ol className="timeline" data-testid="inspections">
            {listing.inspections.length === 0 && <li className="muted">{s('none', lang)}</li>}
            {listing.inspections.map((i) => (
              <li key={i.id}>
                <strong>
                  {i.inspectedOn} · {s(i.kind, lang)}
                </strong>{' '}
                <span className="muted">
                  {i.inspectors} · {s('households', lang)} {i.householdsChecked} ·{' '}
                  {s('villagesChecked', lang)} {i.villagesChecked}
                </span>
                <div>{i.findings}</div>
              </li>
            ))}
          </ol>
        </main>
      )}
    </div>
  );
}

function ProblemRow({
  problem: p,
  lang,
  writable,
  onDone,
}: {
  problem: Problem;
  lang: Lang;
  writable: boolean;
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [next, setNext] = useState<Problem['status'] | ''>(p.nextStatuses[0] ?? '');
  const [note, setNote] = useState('');
  const [measures, setMeasures] = useState(p.measures ?? '');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  async function move() {
    if (next === '') return;
    setError(null);
    try {
      const change = { id: Number(p.id), v: p.version, note: note || null };
      if (next === 'RECTIFIED')
        await request(SUBMIT_RECTIFICATION, { ...change, measures, evidence: await uploadAll(files) });
      else await request(MOVE, { ...change, s: next });
      setNote('');
      setFiles([]);
      onDone();
    } catch (e) {
      // A conflict means someone else changed it: show why and load the current state.
      setError((e as Error).message);
      if (e instanceof ApiError && e.code === 'CONFLICT') onDone();
    }
  }
  return (
    <>
      <tr className={p.overdue ? 'overdue' : undefined} data-testid={`problem-${p.id}`}>
        <td>
          <button type="button" className="link" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
            {p.id}
          </button>
        </td>
        <td>{CATEGORIES[p.category][lang]}</td>
        <td>{p.description}</td>
        <td>{p.department}</td>
        <td>{p.foundOn}</td>
        <td>
          {p.deadline}
          {p.overdue ? ` · ${s('overdue', lang)}` : ''}
        </td>
        <td data-testid="problem-status">{s(p.status, lang)}</td>
        {writable && (
          <td className="move">
            {p.nextStatuses.length > 0 && (
              <>
                <select
                  value={next}
                  onChange={(e) => setNext(e.target.value as Problem['status'])}
                  data-testid="next-status"
                >
                  {p.nextStatuses.map((x) => (
                    <option key={x} value={x}>
                      {s(x, lang)}
                    </option>
                  ))}
                </select>
                {next === 'RECTIFIED' && (
                  <textarea
                    value={measures}
                    onChange={(e) => setMeasures(e.target.value)}
                    placeholder={s('measuresNeeded', lang)}
                    maxLength={2000}
                    rows={2}
                    data-testid="move-measures"
                  />
                )}
                {next === 'RECTIFIED' && (
                  <label className="muted">
                    {s('evidence', lang)}{' '}
                    <input
                      type="file"
                      multiple
                      accept={EVIDENCE_ACCEPT}
                      onChange={(e) => setFiles([...(e.target.files ?? [])])}
                      data-testid="move-evidence"
                    />
                  </label>
                )}
                <input
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  placeholder={s('note', lang)}
                  maxLength={1000}
                  data-testid="move-note"
                />
                <button type="button" onClick={() => void move()} data-testid="move">
                  {s('submit', lang)}
                </button>
              </>
            )}
            {error && <div className="error">{error}</div>}
          </td>
        )}
      </tr>
      {open && (
        <tr className="history">
          <td colSpan={writable ? 8 : 7}>
            <ProblemDetails
              id={Number(p.id)}
              version={p.version}
              lang={lang}
              acting={writable}
              onDone={onDone}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/** An opened problem's record and history, read again whenever its version moves. */
function ProblemDetails(props: {
  id: number;
  version: number;
  lang: Lang;
  /** The caller acts on this problem: they may add evidence while it is not closed. */
  acting: boolean;
  onDone: () => void;
}) {
  const { id, version, lang } = props;
  const [error, setError] = useState<string | null>(null);
  const d = useQuery(DETAILS, { id }, setError, { keepPrevious: true, refresh: version })?.problem;
  if (error) return <div className="error">{error}</div>;
  if (!d) return <div className="muted">…</div>;
  return (
    <>
      <dl className="problem-details" data-testid="problem-details">
        {(
          [
            ['source', d.source ? SOURCES[d.source][lang] : null],
            ['measures', d.measures],
            ['responsiblePerson', d.responsiblePerson],
            ['signedBy', d.signedBy && `${d.signedBy} · ${time(d.signedAt)}`],
            [
              'verification',
              d.verification &&
                `${d.verification.by} · ${time(d.verification.at)} · ${s(d.verification.passed ? 'passed' : 'failed', lang)}${d.verification.note ? ` · ${d.verification.note}` : ''}`,
            ],
          ] as const
        ).map(([key, value]) =>
          value ? (
            <div key={key}>
              <dt>{s(key, lang)}</dt>
              <dd>{value}</dd>
            </div>
          ) : null,
        )}
      </dl>
      <strong>{s('evidence', lang)}</strong>
      <EvidenceList files={d.evidence} lang={lang} />
      {props.acting && d.status !== 'CLOSED' && (
        <AttachEvidence problemId={id} version={d.version} lang={lang} onDone={props.onDone} />
      )}
      <strong>{s('history', lang)}</strong>
      <ol>
        {d.history.map((h) => (
          <li key={`${h.changedAt}-${h.action}-${h.toStatus}`}>
            {time(h.changedAt)} · {h.changedBy} · {h.action}
            {h.toStatus ? ` → ${s(h.toStatus as Problem['status'], lang)}` : ''}
            {h.note ? ` · ${h.note}` : ''}
            {h.changes.map((c) => ` · ${c.field}: ${c.from ?? '—'} → ${c.to ?? '—'}`).join('')}
          </li>
        ))}
      </ol>
    </>
  );
}

/** A listing's move in words (an action this page does not know is shown as the API names it). */
function listingAction(action: string, lang: Lang): string {
  return action === 'listed' || action === 'lifted' || action === 'closed' ? s(action, lang) : action;
}

/** An API time (ISO 8601, UTC) as the ledger writes it. */
function time(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace('Z', '') : '';
}
