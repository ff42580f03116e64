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

export function DeadlinesPage() {
  const lang = langOfPage();
  const session = useRequiredSession();
  const [error, setError] = useState<string | null>(null);
  const scope = viewScope(session);
  const data = useQuery(QUERY, session ? { r: scope, days: DUE_SOON_DAYS } : null, setError);
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
