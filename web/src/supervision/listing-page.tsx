// A listed place: its problem ledger with each problem's history, its inspections, and — for users
// who may write here — forms to report a problem, record an inspection and move a problem along.
import { useCallback, useState } from 'react';
import { ApiError, downloadExport, request, useQuery } from '../api.ts';
import { canWrite } from '../auth.ts';
import { graphql, type ResultOf, type VariablesOf } from '../graphql.ts';
import type { Lang } from '../i18n.ts';
import { SupervisionHeader, useRequiredSession } from './header.tsx';
import { LISTING_SUMMARY } from './supervision-page.tsx';
import { CATEGORIES, langOfPage, s } from './text.ts';

const QUERY = graphql(
  `query($id: Int!) {
    listing(id: $id) {
      ...ListingSummary villageCode version
      inspections { id kind inspectedOn inspectors householdsChecked villagesChecked findings problemsFound }
    }
    problems(first: 200, filter: { listingId: $id }) {
      nodes { id category department description foundOn deadline status overdue version nextStatuses
        history { changedAt changedBy action fromStatus toStatus note } }
    }
  }`,
  [LISTING_SUMMARY],
);
type Listing = NonNullable<ResultOf<typeof QUERY>['listing']>;
type Problem = ResultOf<typeof QUERY>['problems']['nodes'][number];

const MOVE = graphql(`
  mutation($id: Int!, $v: Int!, $s: ProblemStatus!, $note: String) {
    updateProblemStatus(id: $id, expectedVersion: $v, status: $s, note: $note) { id }
  }
`);
const REPORT = graphql('mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id } }');
const RECORD = graphql('mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { id } }');

/** A form field's text (the form's inputs name every field asked for). */
const text = (form: FormData, name: string) => String(form.get(name) ?? '');

const today = () => new Date().toISOString().slice(0, 10);

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
  const writable = listing ? canWrite(session, listing.countyCode) : false;
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
          {!writable && (
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
                {writable && <th>{s('moveTo', lang)}</th>}
              </tr>
            </thead>
            <tbody>
              {data.problems.map((p) => (
                <ProblemRow key={p.id} problem={p} lang={lang} writable={writable} onDone={load} />
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
  const [error, setError] = useState<string | null>(null);
  async function move() {
    if (next === '') return;
    setError(null);
    try {
      await request(MOVE, { id: Number(p.id), v: p.version, s: next, note: note || null });
      setNote('');
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
            <strong>{s('history', lang)}</strong>
            <ol>
              {p.history.map((h) => (
                <li key={`${h.changedAt}-${h.action}-${h.toStatus}`}>
                  {h.changedAt.replace('T', ' ').replace('Z', '')} · {h.changedBy} · {h.action}
                  {h.toStatus ? ` → ${s(h.toStatus as Problem['status'], lang)}` : ''}
                  {h.note ? ` · ${h.note}` : ''}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      )}
    </>
  );
}

/** Runs a write from a form; the error names the field, as the server said it. */
function useSubmit(onDone: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (run: () => Promise<unknown>, form: HTMLFormElement) => {
    setError(null);
    setSaved(false);
    try {
      await run();
      form.reset();
      setSaved(true);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return { error, saved, submit };
}

function ReportProblemForm({ listing, lang, onDone }: { listing: Listing; lang: Lang; onDone: () => void }) {
  const { error, saved, submit } = useSubmit(onDone);
  // One key per form: a double click or a retried request stores the problem once.
  const [key, setKey] = useState<string>(() => crypto.randomUUID());
  return (
    <form
      className="card"
      data-testid="report-form"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        void submit(async () => {
          await sendKeyed(key, setKey, (idempotencyKey) =>
            request(REPORT, {
              input: {
                countyCode: listing.countyCode,
                villageCode: listing.villageCode,
                listingId: listing.id,
                category: text(f, 'category') as VariablesOf<typeof REPORT>['input']['category'],
                department: text(f, 'department'),
                description: text(f, 'description'),
                foundOn: text(f, 'foundOn'),
                deadline: text(f, 'deadline'),
                idempotencyKey,
              },
            }),
          );
        }, form);
      }}
    >
      <h3>{s('reportProblem', lang)}</h3>
      <label>
        {s('category', lang)}
        <select name="category" data-testid="report-category">
          {Object.entries(CATEGORIES).map(([k, v]) => (
            <option key={k} value={k}>
              {v[lang]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {s('department', lang)}
        <input name="department" required maxLength={50} data-testid="report-department" />
      </label>
      <label>
        {s('description', lang)}
        <textarea name="description" required maxLength={2000} rows={2} data-testid="report-description" />
      </label>
      <label>
        {s('foundOn', lang)}
        <input name="foundOn" type="date" required defaultValue={today()} max={today()} />
      </label>
      <label>
        {s('deadline', lang)}
        <input name="deadline" type="date" required data-testid="report-deadline" />
      </label>
      {error && <p className="error">{error}</p>}
      {saved && <p className="muted">{s('saved', lang)}</p>}
      <button type="submit" data-testid="report-submit">
        {s('submit', lang)}
      </button>
    </form>
  );
}

/**
 * Sends a keyed write. The key stays after a failure, so sending the same form again is recognised
 * as a retry and stored once. If the form was changed after an answer was lost, the server says the
 * key was used for another request (the earlier one was stored): the user is told, and a new key
 * makes the next send a new record — never silently a second one.
 */
async function sendKeyed(
  key: string,
  setKey: (key: string) => void,
  send: (key: string) => Promise<unknown>,
) {
  try {
    await send(key);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'IDEMPOTENCY_KEY_REUSED') {
      setKey(crypto.randomUUID());
      throw new ApiError(
        '上次提交已保存，请刷新后核对；如需另记一条，请再次提交。 Your earlier submission was stored: reload to check it, or submit again to record a new one.',
        error.code,
        error.extensions,
      );
    }
    throw error;
  }
  setKey(crypto.randomUUID());
}

function InspectionForm({ listing, lang, onDone }: { listing: Listing; lang: Lang; onDone: () => void }) {
  const { error, saved, submit } = useSubmit(onDone);
  const [key, setKey] = useState<string>(() => crypto.randomUUID());
  return (
    <form
      className="card"
      data-testid="inspection-form"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        void submit(async () => {
          await sendKeyed(key, setKey, (idempotencyKey) =>
            request(RECORD, {
              input: {
                listingId: listing.id,
                kind: text(f, 'kind') as VariablesOf<typeof RECORD>['input']['kind'],
                inspectedOn: text(f, 'inspectedOn'),
                inspectors: text(f, 'inspectors'),
                householdsChecked: Number(f.get('households')),
                villagesChecked: Number(f.get('villages')),
                findings: text(f, 'findings'),
                idempotencyKey,
              },
            }),
          );
        }, form);
      }}
    >
      <h3>{s('recordInspection', lang)}</h3>
      <label>
        {s('kind', lang)}
        <select name="kind">
          {(['REVIEW', 'CROSS_CHECK', 'SPOT_CHECK'] as const).map((k) => (
            <option key={k} value={k}>
              {s(k, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {s('inspectedOn', lang)}
        <input name="inspectedOn" type="date" required defaultValue={today()} max={today()} />
      </label>
      <label>
        {s('inspectors', lang)}
        <input name="inspectors" required maxLength={200} />
      </label>
      <label>
        {s('households', lang)}
        <input name="households" type="number" min={0} max={100000} required defaultValue={0} />
      </label>
      <label>
        {s('villagesChecked', lang)}
        <input name="villages" type="number" min={0} max={10000} required defaultValue={1} />
      </label>
      <label>
        {s('findings', lang)}
        <textarea name="findings" required maxLength={4000} rows={2} />
      </label>
      {error && <p className="error">{error}</p>}
      {saved && <p className="muted">{s('saved', lang)}</p>}
      <button type="submit">{s('submit', lang)}</button>
    </form>
  );
}
