// The login page: a username and password, then back to where the user was going.
import { useState } from 'react';
import { request } from '../api.ts';
import { SESSION_USER, saveSession } from '../auth.ts';
import { graphql } from '../graphql.ts';
import { navigate } from '../router.tsx';
import { langOfPage, s, withLang } from './text.ts';

// The token in the answer is not kept: the server set it in an HttpOnly cookie.
const LOGIN = graphql(
  `mutation($u: String!, $p: String!) {
    login(username: $u, password: $p) { expiresAt user { ...SessionUser } }
  }`,
  [SESSION_USER],
);

export function LoginPage() {
  const lang = langOfPage();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    try {
      const { login } = await request(LOGIN, {
        u: String(form.get('username')),
        p: String(form.get('password')),
      });
      saveSession(login);
      const next = new URLSearchParams(window.location.search).get('next');
      navigate(withLang(next?.startsWith('/') ? next : '/supervision', lang));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="page login">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit(new FormData(e.currentTarget));
        }}
        data-testid="login-form"
      >
        <h1>
          {s('login', lang)} · {s('title', lang)}
        </h1>
        <label>
          {s('username', lang)}
          <input name="username" autoComplete="username" required data-testid="login-username" />
        </label>
        <label>
          {s('password', lang)}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            data-testid="login-password"
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} data-testid="login-submit">
          {s('login', lang)}
        </button>
      </form>
    </div>
  );
}
