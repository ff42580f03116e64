// The data page's calls: GraphQL for the datasets and the history, the /api/data routes for uploads
// and rollbacks (the login goes along in its cookie; X-Requested-With shows the request comes from
// this page's own script, which the server requires of cookie logins against cross-site forgery).
import { print } from '@0no-co/graphql.web';
import { ApiError, postQuery, request } from '../api.ts';
import { saveSession } from '../auth.ts';
import { graphql, type ResultOf } from '../graphql.ts';

// The /api/data routes' answers are JSON, not GraphQL, so no schema types them: their shapes are
// db/src/imports' (spec.ts, record.ts, rollback.ts), written again here because web/ reaches db/ only over HTTP.
export interface ImportError {
  sheet: string;
  row: number;
  column: string | null;
  zh: string;
  en: string;
}

export interface ImportResult {
  importId: number | null;
  dataset: string;
  file: string;
  sha256: string;
  dryRun: boolean;
  result: 'applied' | 'rejected' | 'checked' | 'failed';
  rows: number;
  newRows: number;
  changedRows: number;
  unchangedRows: number;
  invalidRows: number;
  errorCount: number;
  errors: ImportError[];
  examples: Array<{ key: string; sheet: string; row: number; column: string; old: unknown; new: unknown }>;
}

export interface RollbackResult {
  importId: number;
  dataset: string;
  file: string;
  restoredRows: number;
  deletedRows: number;
}

const PARTS = graphql('{ dataset { parts { name nameZh nameEn kind file at canImport } } }');
export type DatasetPart = NonNullable<ResultOf<typeof PARTS>['dataset']>['parts'][number];

const HISTORY = graphql(`
  query($first: Int) {
    imports(first: $first) {
      id dataset fileName who at result rows newRows changedRows unchangedRows invalidRows errors rolledBackAt rolledBackBy
    }
  }
`);
export type ImportRecord = ResultOf<typeof HISTORY>['imports'][number];

// The rollback names the latest import that changed rows, so the counts come along.
const RECENT_IMPORT = graphql(`
  fragment RecentImport on Import @_unmask { id dataset fileName who at result newRows changedRows }
`);
export type RecentImport = ResultOf<typeof RECENT_IMPORT>;

/** The latest imports of each dataset, in one request (an alias per dataset, so built at run time). */
export async function loadRecent(
  names: string[],
  signal?: AbortSignal,
): Promise<Record<string, RecentImport[]>> {
  if (names.length === 0) return {};
  const query = `query(${names.map((_, i) => `$d${i}: String`).join(', ')}) {
    ${names.map((_, i) => `r${i}: imports(dataset: $d${i}, first: 20) { ...RecentImport }`).join('\n')}
  }
  ${print(RECENT_IMPORT)}`;
  const data = await postQuery<Record<string, RecentImport[]>>(
    query,
    Object.fromEntries(names.map((n, i) => [`d${i}`, n])),
    signal,
  );
  return Object.fromEntries(names.map((n, i) => [n, data[`r${i}`] ?? []]));
}

export async function loadParts(signal?: AbortSignal): Promise<DatasetPart[]> {
  return (await request(PARTS, {}, signal)).dataset?.parts ?? [];
}

export async function loadHistory(signal?: AbortSignal): Promise<ImportRecord[]> {
  return (await request(HISTORY, { first: 50 }, signal)).imports;
}

/** A refusal from the routes: its code, and the Chinese message when the server gave one. */
export class RouteError extends ApiError {
  constructor(
    message: string,
    code: string | undefined,
    readonly zh: string | undefined,
    readonly status: number,
  ) {
    super(message, code, {});
  }
}

async function post<T>(path: string, body?: Blob, fileName?: string): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: {
      'x-requested-with': 'rrm-data-page',
      ...(body ? { 'content-type': body.type || 'application/octet-stream' } : {}),
      ...(fileName ? { 'x-file-name': encodeURIComponent(fileName) } : {}),
    },
    body,
  });
  const parsed = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  // An ImportResult (200, or 422 when the file has errors) or a rollback's result.
  if (parsed && ('result' in parsed || response.ok)) return parsed as T;
  const refusal = (parsed?.errors as Array<{ message?: string; extensions?: Record<string, unknown> }>)?.[0];
  const code = refusal?.extensions?.code as string | undefined;
  if (code === 'UNAUTHENTICATED') saveSession(null);
  throw new RouteError(
    refusal?.message ?? `request failed (${response.status})`,
    code,
    refusal?.extensions?.zh as string | undefined,
    response.status,
  );
}

/** Sends the file for a dry run (nothing written) or an apply; an apply names the hash it checked. */
export function sendFile(
  dataset: string,
  file: File,
  options: { dryRun: boolean; sha256?: string },
): Promise<ImportResult> {
  const query = new URLSearchParams({ dryRun: String(options.dryRun) });
  if (options.sha256) query.set('sha256', options.sha256);
  return post<ImportResult>(`/api/data/imports/${encodeURIComponent(dataset)}?${query}`, file, file.name);
}

/** Rolls back `importId`, the latest import that changed the dataset as the page shows it. */
export function rollBack(dataset: string, importId: number | undefined): Promise<RollbackResult> {
  const query = importId === undefined ? '' : `?importId=${importId}`;
  return post<RollbackResult>(`/api/data/imports/${encodeURIComponent(dataset)}/rollback${query}`);
}

export function templateUrl(dataset: string, format: 'xlsx' | 'csv'): string {
  return `/api/data/templates/${encodeURIComponent(dataset)}?format=${format}`;
}
