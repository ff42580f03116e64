// One problem as a line of a list (the department's own work, the deadlines view): its number
// linking to its place, where it is, what it is, its deadline and status.
import type { Lang } from '../i18n.ts';
import { Link } from '../router.tsx';
import { s, withLang } from './text.ts';

export interface ProblemLineFields {
  id: string;
  listingId: number | null;
  countyName: string;
  villageName: string | null;
  description: string;
  deadline: string;
  status: Parameters<typeof s>[0];
  overdue?: boolean;
}

export function ProblemLine({
  problem: p,
  lang,
  testId,
}: {
  problem: ProblemLineFields;
  lang: Lang;
  testId?: string;
}) {
  return (
    <li className={p.overdue ? 'overdue' : undefined}>
      {p.listingId ? (
        <Link to={withLang(`/supervision/listings/${p.listingId}`, lang)} testId={testId}>
          {p.id}
        </Link>
      ) : (
        p.id
      )}{' '}
      {[p.countyName, p.villageName].filter(Boolean).join(' · ')} · {p.description} · {s('deadline', lang)}{' '}
      {p.deadline}
      {p.overdue ? ` · ${s('overdue', lang)}` : ''} · {s(p.status, lang)}
    </li>
  );
}
