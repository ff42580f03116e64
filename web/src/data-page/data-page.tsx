// The data page (/data, issue #12): the datasets the user may import with their source, last import
// and templates; an upload checked by a dry run and applied on confirmation; rollback; the history.
// Behind a login (the header's hook sends anonymous users to /login); the server decides again.
import { useEffect, useState } from 'react';
import { graphql } from '../api.ts';
import { SupervisionHeader, useRequiredSession } from '../supervision/header.tsx';
import { langOfPage } from '../supervision/text.ts';
import { type DatasetPart, type ImportRecord, loadHistory, loadParts } from './api.ts';
import { DatasetsTable } from './datasets-table.tsx';
import { HistoryTable } from './history.tsx';
import { d } from './text.ts';
import { UploadPanel } from './upload-panel.tsx';

/** The latest imports of each dataset, in one request (an alias per dataset). */
async function loadRecent(names: string[]): Promise<Record<string, ImportRecord[]>> {
  if (names.length === 0) return {};
  const fields = 'id dataset fileName who at result';
  const query = `query(${names.map((_, i) => `$d${i}: String`).join(', ')}) {
    ${names.map((_, i) => `r${i}: imports(dataset: $d${i}, first: 20) { ${fields} }`).join('\n')}
  }`;
  const data = await graphql<Record<string, ImportRecord[]>>(
    query,
    Object.fromEntries(names.map((n, i) => [`d${i}`, n])),
  );
  return Object.fromEntries(names.map((n, i) => [n, data[`r${i}`] ?? []]));
}

export function DataPage() {
  const lang = langOfPage();
  const session = useRequiredSession();
  const [parts, setParts] = useState<DatasetPart[] | null>(null);
  const [recent, setRecent] = useState<Record<string, ImportRecord[]>>({});
  const [history, setHistory] = useState<ImportRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // The history: every import for admins and analysts, their own for supervisors (the server decides).
  const role = session?.user.role;
  const readsHistory = role === 'ADMIN' || role === 'ANALYST' || role === 'SUPERVISOR';

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` asks again after a write
  useEffect(() => {
    if (!session) return;
    let current = true;
    (async () => {
      const all = await loadParts();
      const importable = all.filter((p) => p.canImport);
      const [byDataset, list] = readsHistory
        ? await Promise.all([loadRecent(importable.map((p) => p.name)), loadHistory()])
        : [{}, null];
      if (!current) return;
      setParts(importable);
      setRecent(byDataset);
      setHistory(list);
    })().catch((e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [session, readsHistory, version]);

  if (!session) return null;
  const refresh = () => setVersion((v) => v + 1);
  return (
    <div className="app data-page">
      <SupervisionHeader session={session} title={d('title', lang)} home="/data" />
      <main className="page">
        <p className="muted help">{d('help', lang)}</p>
        {error && <div className="error">{error}</div>}
        {parts && parts.length === 0 && (
          <p className="card" data-testid="may-not-import">
            {d('mayNotImport', lang, { role: session.user.role.toLowerCase() })}
          </p>
        )}
        {parts && parts.length > 0 && (
          <>
            <h2>{d('datasets', lang)}</h2>
            <DatasetsTable parts={parts} recent={recent} lang={lang} onRolledBack={refresh} />
            <UploadPanel parts={parts} lang={lang} onApplied={refresh} />
            {history && (
              <>
                <h2>{d('history', lang)}</h2>
                <HistoryTable records={history} parts={parts} lang={lang} />
              </>
            )}
          </>
        )}
      </main>
    </div>
  );
}
