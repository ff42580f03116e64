import { currentSession, saveSession } from './auth.ts';

/** An error from the API, with its code (BAD_USER_INPUT, CONFLICT, …) and the field at fault. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly extensions: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * Posts a GraphQL query to the product's own endpoint; the login goes along in its HttpOnly cookie.
 * Throws with the server's message on errors. An answer saying the login is missing or ended logs out.
 */
export async function graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const session = currentSession();
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: T;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code as string | undefined;
    if (code === 'UNAUTHENTICATED' && session && first.extensions?.reason !== 'login') saveSession(null);
    throw new ApiError(body.errors!.map((e) => e.message).join('; '), code, first.extensions ?? {});
  }
  return body.data as T;
}

/** Downloads an export; the login cookie goes along (no Authorization header). */
export async function downloadExport(path: string, fileName: string): Promise<void> {
  const response = await fetch(path);
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { errors?: { message: string }[] } | null;
    throw new ApiError(body?.errors?.[0]?.message ?? `export failed (${response.status})`, undefined, {});
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Logs out: the server ends the session and clears the cookie; then the page forgets the user. */
export async function logout(): Promise<void> {
  try {
    await graphql<{ logout: boolean }>('mutation { logout }');
  } finally {
    saveSession(null);
  }
}
