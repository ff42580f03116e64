// Pages on plain paths: / (the map), /login, /supervision, /supervision/deadlines,
// /supervision/listings/{id} and /data.
// No router library: pushState, popstate and one hook.
import { useEffect, useState } from 'react';

export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

const where = () => `${window.location.pathname}${window.location.search}`;

/** The path and query string: a change of either (a language switch) renders the page again. */
export function usePath(): string {
  const [path, setPath] = useState(where);
  useEffect(() => {
    const update = () => setPath(where());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

/** A link that navigates without reloading the page. */
export function Link(props: { to: string; children: React.ReactNode; className?: string; testId?: string }) {
  return (
    <a
      href={props.to}
      className={props.className}
      data-testid={props.testId}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
