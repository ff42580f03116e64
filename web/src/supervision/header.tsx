// The header of the supervision and data pages: title, who is logged in (and their region), log out,
// back to the map.
import { useEffect } from 'react';
import { logout, useQuery } from '../api.ts';
import { type Session, useSession } from '../auth.ts';
import { graphql } from '../graphql.ts';
import { Link, navigate } from '../router.tsx';
import { langOfPage, s, withLang } from './text.ts';

/** The session; without one, off to the login page (and back here afterwards). Undefined while asked. */
export function useRequiredSession(): Session | null | undefined {
  const session = useSession();
  useEffect(() => {
    if (session === null) navigate(withLang(`/login?next=${encodeURIComponent(window.location.pathname)}`));
  }, [session]);
  return session;
}

const DEADLINES = graphql(`
  query($r: String, $days: Int!) { ledgerDeadlines(regionCode: $r, withinDays: $days) { overdue dueSoon } }
`);
const ignore = () => {};
/** How far ahead "due soon" looks, here and on the deadlines page. */
export const DUE_SOON_DAYS = 7;

/** 逾期 N · 7日内到期 M for the user's region (a department: its own), linking to the deadlines view. */
function DeadlineBadge({ session }: { session: Session }) {
  const lang = langOfPage();
  const scope =
    session.user.role === 'SUPERVISOR' || session.user.role === 'DEPARTMENT'
      ? session.user.regionScope
      : null;
  const counts = useQuery(DEADLINES, { r: scope, days: 7 }, ignore)?.ledgerDeadlines;
  if (!counts) return null;
  return (
    <Link to={withLang('/supervision/deadlines', lang)} testId="deadline-badge">
      <span className={counts.overdue ? 'badge alert' : 'badge'}>
        {s('overdue', lang)} {counts.overdue}
      </span>
      <span className="badge">
        {s('dueSoon', lang)} {counts.dueSoon}
      </span>
    </Link>
  );
}

/** The header of the pages behind a login; the data page passes its own title and path. */
export function SupervisionHeader({
  session,
  children,
  title,
  home = '/supervision',
}: {
  session: Session;
  children?: React.ReactNode;
  title?: string;
  home?: string;
}) {
  const lang = langOfPage();
  return (
    <header>
      <h1>
        <Link to={withLang(home, lang)}>{title ?? s('title', lang)}</Link>
      </h1>
      {children}
      <span className="spacer" />
      {home === '/supervision' && <DeadlineBadge session={session} />}
      <span className="who" data-testid="who">
        {session.user.displayName} · {session.user.role.toLowerCase()}
        {session.user.regionScope
          ? ` · ${s(session.user.role === 'DEPARTMENT' ? 'departmentScope' : 'scope', lang)} ${session.user.regionScope}`
          : ''}
      </span>
      <button
        type="button"
        onClick={() => navigate(withLang(window.location.pathname, lang === 'zh' ? 'en' : 'zh'))}
        data-testid="language"
      >
        {s('language', lang)}
      </button>
      <button type="button" onClick={() => void logout()} data-testid="logout">
        {s('logout', lang)}
      </button>
      <Link to={withLang('/', lang)}>{s('map', lang)}</Link>
    </header>
  );
}
