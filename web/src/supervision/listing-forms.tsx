// The forms of a listed place's page for users who may write there: report a problem, record an
// inspection. Both are keyed writes (KeyedForm): a double click or a retried request stores once.

import { type ReactNode, useState } from 'react';
import { ApiError, request, useQuery } from '../api.ts';
import { chinaDay } from '../facts.ts';
import { graphql, type VariablesOf } from '../graphql.ts';
import type { Lang } from '../i18n.ts';
import { CATEGORIES, s } from './text.ts';

const REPORT = graphql('mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id } }');
const DEPARTMENTS = graphql('query($c: String!) { departments(countyCode: $c) { id name } }');
const RECORD = graphql('mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { id } }');

/** The listed place the forms write for. */
interface Place {
  id: number;
  countyCode: string;
  villageCode: string | null;
}

interface FormProps {
  listing: Place;
  lang: Lang;
  onDone: () => void;
}

/** A form field's text (the form's inputs name every field asked for). */
const text = (form: FormData, name: string) => String(form.get(name) ?? '');
// The ledger's day is China's, as the server checks it.
const today = () => chinaDay();

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

/**
 * A form whose submit is one keyed write: the error names the field, as the server said it; after
 * a write the form is cleared, says so, and the page loads again.
 */
function KeyedForm(props: {
  testId: string;
  title: string;
  lang: Lang;
  onDone: () => void;
  send: (form: FormData, idempotencyKey: string) => Promise<unknown>;
  submitTestId?: string;
  children: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // One key per form: a double click or a retried request stores the record once.
  const [key, setKey] = useState<string>(() => crypto.randomUUID());
  return (
    <form
      className="card"
      data-testid={props.testId}
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const fields = new FormData(form);
        setError(null);
        setSaved(false);
        sendKeyed(key, setKey, (idempotencyKey) => props.send(fields, idempotencyKey))
          .then(() => {
            form.reset();
            setSaved(true);
            props.onDone();
          })
          .catch((e: Error) => setError(e.message));
      }}
    >
      <h3>{props.title}</h3>
      {props.children}
      {error && <p className="error">{error}</p>}
      {saved && <p className="muted">{s('saved', props.lang)}</p>}
      <button type="submit" data-testid={props.submitTestId}>
        {s('submit', props.lang)}
      </button>
    </form>
  );
}

/** The "other" choice of the department list: the department is typed in. */
const TYPED = '';

export function ReportProblemForm({ listing, lang, onDone }: FormProps) {
  // The county's registered departments; a county without a registry types the department's name.
  const [error, setError] = useState<string | null>(null);
  const departments = useQuery(DEPARTMENTS, { c: listing.countyCode }, setError)?.departments ?? [];
  const [departmentId, setDepartmentId] = useState(TYPED);
  return (
    <KeyedForm
      testId="report-form"
      submitTestId="report-submit"
      title={s('reportProblem', lang)}
      lang={lang}
      onDone={onDone}
      send={(f, idempotencyKey) =>
        request(REPORT, {
          input: {
            countyCode: listing.countyCode,
            villageCode: listing.villageCode,
            listingId: listing.id,
            category: text(f, 'category') as VariablesOf<typeof REPORT>['input']['category'],
            ...(departmentId === TYPED
              ? { department: text(f, 'department') }
              : { departmentId: Number(departmentId) }),
            description: text(f, 'description'),
            foundOn: text(f, 'foundOn'),
            deadline: text(f, 'deadline'),
            idempotencyKey,
          },
        })
      }
    >
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
      <div className="field">
        <span>{s('department', lang)}</span>
        {departments.length > 0 && (
          <select
            value={departmentId}
            onChange={(e) => setDepartmentId(e.target.value)}
            aria-label={s('department', lang)}
            data-testid="report-department-id"
          >
            {departments.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {d.name}
              </option>
            ))}
            <option value={TYPED}>{s('otherDepartment', lang)}</option>
          </select>
        )}
        {departmentId === TYPED && (
          <input
            name="department"
            aria-label={s('department', lang)}
            required
            maxLength={50}
            data-testid="report-department"
          />
        )}
        {error && <span className="error">{error}</span>}
      </div>
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
    </KeyedForm>
  );
}

export function InspectionForm({ listing, lang, onDone }: FormProps) {
  return (
    <KeyedForm
      testId="inspection-form"
      title={s('recordInspection', lang)}
      lang={lang}
      onDone={onDone}
      send={(f, idempotencyKey) =>
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
        })
      }
    >
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
    </KeyedForm>
  );
}
