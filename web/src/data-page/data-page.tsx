// The data page (/data, issue #12): the datasets the user may import with their source, last import
// and templates; an upload checked by a dry run and applied on confirmation; rollback; the history.
// Behind a login (the header's hook sends anonymous users to /login); the server decides again.
import { useEffect, useState } from 'react';
import { SupervisionHeader, useRequiredSession } from '../supervision/header.tsx';
import { langOfPage } from '../supervision/text.ts';
import {
  type DatasetPart,
  type ImportRecord,
  loadHistory,
  loadParts,
  loadRecent,
  type RecentImport,
} from './api.ts';
import { DatasetsTable } from './datasets-table.tsx';
import { HistoryTable } from './history.tsx';
import { d } from './text.ts';
import { UploadPanel } from './upload-panel.tsx';

export function DataPage() {
  const lang = langOfPage();
  const session = useRequiredSession();
  const [parts, setParts] = useState<DatasetPart[] | null>(null);
  const [recent, setRecent] = useState<Record<string, RecentImport[]>>({});
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
