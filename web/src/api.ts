// Every call to /graphql goes through `request`; components read through `useQuery` (or `useLoad`
// for a read of several requests), which cancels what the view no longer wants. Documents are typed
// in graphql.ts.
import { print } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';
import { useEffect, useRef, useState } from 'react';
import { currentSession, saveSession } from './auth.ts';
import { graphql } from './graphql.ts';
import { saveBlob } from './save-file.ts';

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
 * Posts a GraphQL document to the product's own endpoint; the login goes along in its HttpOnly cookie.
 * Throws with the server's message on errors. An answer saying the login is missing or ended logs out.
 * `signal` cancels the request (the caller no longer wants the answer).
 */
export async function request<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  signal?: AbortSignal,
): Promise<Result> {
  return postQuery<Result>(print(document), variables as Record<string, unknown>, signal);
}

/** The same for a query built at run time (one alias per dataset): its result is typed by the caller. */
export async function postQuery<Result>(
  query: string,
  variables: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Result> {
  const session = currentSession();
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const body = (await response.json()) as {
    data?: Result;
    errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
  };
  // Fields of the monitored households answer STILL_LOADING while a first start loads them; a
  // nullable one inside the answer (a county's riskRemovedShare) is null beside the rest, which
  // stands (the page says they are loading). Anything else fails the request: another error, or
  // a field at the top (a household asked for by id would read as "none").
  const nestedStillLoading = body.errors?.every(
    (e) => e.extensions?.code === 'STILL_LOADING' && (e.path?.length ?? 0) > 1,
  );
  if (nestedStillLoading && body.data) return body.data;
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code as string | undefined;
    if (code === 'UNAUTHENTICATED' && session && first.extensions?.reason !== 'login') saveSession(null);
    throw new ApiError(body.errors!.map((e) => e.message).join('; '), code, first.extensions ?? {});
  }
  return body.data as Result;
}

export interface LoadOptions {
  /** Keeps the previous answer while the next is on its way (the map: no flash of grey). */
  keepPrevious?: boolean;
}

/**
 * Runs `load` whenever `key` changes (null: nothing to ask, no answer). The request for a key the
 * view has left is cancelled, and its answer or error ignored even if it arrives anyway.
 */
export function useLoad<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  onError: (message: string) => void,
  { keepPrevious = false }: LoadOptions = {},
): T | null {
  const [state, setState] = useState<{ key: string; value: T } | null>(null);
  // The latest callback, without asking again when only the callback changed.
  const reportError = useRef(onError);
  reportError.current = onError;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key names everything `load` reads
  useEffect(() => {
    if (key === null) {
      setState(null);
      return;
    }
    const controller = new AbortController();
    load(controller.signal)
      .then((value) => {
        if (!controller.signal.aborted) setState({ key, value });
      })
      .catch((e: Error) => {
        if (!controller.signal.aborted) reportError.current(e.message);
      });
    return () => controller.abort();
  }, [key]);
  if (key === null || !state) return null;
  return keepPrevious || state.key === key ? state.value : null;
}

/**
 * Reads `document` with `variables` (null: not now) on every change of them, as `useLoad`.
 * `refresh` asks again with the same variables (after a write).
 */
export function useQuery<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables | null,
  onError: (message: string) => void,
  options: LoadOptions & { refresh?: number } = {},
): Result | null {
  return useLoad(
    variables === null ? null : JSON.stringify([variables, options.refresh ?? 0]),
    (signal) => request(document, variables!, signal),
    onError,
    options,
  );
}

/** Downloads an export; the login cookie goes along (no Authorization header). */
export async function downloadExport(path: string, fileName: string): Promise<void> {
  const response = await fetch(path);
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { errors?: { message: string }[] } | null;
    throw new ApiError(body?.errors?.[0]?.message ?? `export failed (${response.status})`, undefined, {});
  }
  saveBlob(await response.blob(), fileName);
}

const LOGOUT = graphql('mutation { logout }');

/** Logs out: the server ends the session and clears the cookie; then the page forgets the user. */
export async function logout(): Promise<void> {
  try {
    await request(LOGOUT, {});
  } finally {
    saveSession(null);
  }
}
