// 即将到期与逾期: what is overdue and what falls due within a week, by responsible department, for
// the user's region (a department user: its own department). Each problem links to its place.
import { useState } from 'react';
import { useQuery } from '../api.ts';
import { viewScope } from '../auth.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import type { Lang } from '../i18n.ts';
import { DUE_SOON_DAYS, SupervisionHeader, useRequiredSession } from './header.tsx';
import { ProblemLine } from './problem-line.tsx';
import { langOfPage, s } from './text.ts';

/** A problem as the deadlines view lists it. */
const DEADLINE_PROBLEM = graphql(`
  fragment DeadlineProblem on Problem @_unmask {
    id listingId countyName villageName department description deadline status
  }
`);

const QUERY = graphql(
  `query($r: String, $days: Int!) {
    ledgerDeadlines(regionCode: $r, withinDays: $days) { withinDays overdue dueSoon byDepartment { countyCode countyName department overdue dueSoon } }
    overdue: problems(first: 200, filter: { regionCode: $r, overdue: true }) {
      totalCount nodes { ...DeadlineProblem }
    }
    dueSoon: problems(first: 200, filter: { regionCode: $r, dueWithinDays: $days }) {
      totalCount nodes { ...DeadlineProblem }
    }
  }`,
  [DEADLINE_PROBLEM],
);
type Answer = ResultOf<typeof QUERY>;
type Problem = Answer['overdue']['nodes'][number];

/** Today's reminders addressed to the user (departments, supervisors and admins are sent them). */
const REMINDERS = graphql(`
  query {
    reminders(first: 200) { day total entries { id problemId level daysOverdue department problem { deadline description } } }
  }
`);

export function DeadlinesPage() {
  const lang = langOfPage();
  const session = useRequiredSession();
  const [error, setError] = useState<string | null>(null);
  const scope = viewScope(session);
  const data = useQuery(QUERY, session ? { r: scope, days: DUE_SOON_DAYS } : null, setError);
  const remindedRole = session && ['DEPARTMENT', 'SUPERVISOR', 'ADMIN'].includes(session.user.role);
  const reminders = useQuery(REMINDERS, remindedRole ? {} : null, setError);
  if (!session) return null;
  return (
    <div className="app supervision">
      <SupervisionHeader session={session} />
      {error && <div className="error">{error}</div>}
      {data && (
        <main className="page deadlines">
          <h2>{s('deadlines', lang)}</h2>
          <table className="ledger" data-testid="deadlines-by-department">
            <thead>
              <tr>
                <th>{s('county', lang)}</th>
                <th>{s('department', lang)}</th>
                <th>{s('overdue', lang)}</th>
                <th>{s('dueSoon', lang)}</th>
              </tr>
            </thead>
            <tbody>
              {data.ledgerDeadlines.byDepartment.map((d) => (
                <tr key={`${d.countyCode}:${d.department}`} className={d.overdue ? 'overdue' : undefined}>
                  <td>{d.countyName}</td>
                  <td>{d.department}</td>
                  <td className="number">{d.overdue}</td>
                  <td className="number">{d.dueSoon}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {reminders && <Reminders day={reminders.reminders} lang={lang} />}
          <ProblemsByDepartment
            title={`${s('overdue', lang)} (${data.overdue.totalCount})`}
            total={data.overdue.totalCount}
            problems={data.overdue.nodes}
            testId="overdue-list"
            lang={lang}
          />
          <ProblemsByDepartment
            title={`${s('dueSoon', lang)} (${data.dueSoon.totalCount})`}
            total={data.dueSoon.totalCount}
            problems={data.dueSoon.nodes}
            testId="due-soon-list"
            lang={lang}
          />
        </main>
      )}
    </div>
  );
}

function ProblemsByDepartment(props: {
  title: string;
  /** All that match; the page lists the first 200 by deadline. */
  total: number;
  problems: readonly Problem[];
  testId: string;
  lang: Lang;
}) {
  // One group per county department: the same 责任单位 name stands in many counties.
  const groups = new Map<string, Problem[]>();
  for (const p of props.problems) {
    const key = `${p.countyName} · ${p.department}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return (
    <section data-testid={props.testId}>
      <h3>{props.title}</h3>
      {groups.size === 0 && <p className="muted">{s('none', props.lang)}</p>}
      {props.total > props.problems.length && (
        <p className="muted">
          {s('firstShown', props.lang)} {props.problems.length} / {props.total}
        </p>
      )}
      {[...groups].map(([department, problems]) => (
        <div key={department}>
          <h4>
            {department} ({problems.length})
          </h4>
          <ol>
            {problems.map((p) => (
              <ProblemLine key={p.id} problem={p} lang={props.lang} />
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}

/** 今日催办: the day's reminders, the most overdue first, with whom each went to. */
function Reminders(props: { day: ResultOf<typeof REMINDERS>['reminders']; lang: Lang }) {
  const { day, lang } = props;
  return (
    <section data-testid="reminders">
      <h3>
        {s('reminders', lang)} ({day.total}) <span className="muted">{day.day}</span>
      </h3>
      {day.total === 0 && <p className="muted">{s('none', lang)}</p>}
      {day.total > day.entries.length && (
        <p className="muted">
          {s('firstShown', lang)} {day.entries.length} / {day.total}
        </p>
      )}
      {day.entries.length > 0 && (
        <table className="ledger">
          <thead>
            <tr>
              <th>{s('problem', lang)}</th>
              <th>{s('department', lang)}</th>
              <th>{s('deadline', lang)}</th>
              <th>{s('daysOverdue', lang)}</th>
              <th>{s('remindedTo', lang)}</th>
            </tr>
          </thead>
          <tbody>
            {day.entries.map((r) => (
              <tr key={r.id} className="overdue" data-level={r.level}>
                <td>
                  #{r.problemId} {r.problem?.description}
                </td>
                <td>{r.department}</td>
                <td>{r.problem?.deadline}</td>
                <td className="number">{r.daysOverdue}</td>
                <td>{s(r.level, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
