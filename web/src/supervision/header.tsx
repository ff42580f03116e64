// The header of the supervision and data pages: title, who is logged in (and their region), log out,
// back to the map.
import { useEffect } from 'react';
import { logout } from '../api.ts';
import { type Session, useSession } from '../auth.ts';
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
