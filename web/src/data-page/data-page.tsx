// The data page (/data, issue #12): the datasets the user may import with their source, last import
// and templates; an upload checked by a dry run and applied on confirmation; rollback; the history.
// Behind a login (the header's hook sends anonymous users to /login); the server decides again.
import { useState } from 'react';
import { useLoad } from '../api.ts';
import { SupervisionHeader, useRequiredSession } from '../supervision/header.tsx';
import { langOfPage } from '../supervision/text.ts';
import { loadHistory, loadParts, loadRecent } from './api.ts';
import { DatasetsTable } from './datasets-table.tsx';
import { HistoryTable } from './history.tsx';
import { d } from './text.ts';
import { UploadPanel } from './upload-panel.tsx';

export function DataPage() {
  const lang = langOfPage();
  const session = useRequiredSession();
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // The history: every import for admins and analysts, their own for supervisors (the server decides).
  const role = session?.user.role;
  const readsHistory = role === 'ADMIN' || role === 'ANALYST' || role === 'SUPERVISOR';
  // `version` asks again after a write; the page keeps showing the last answer meanwhile.
  const loaded = useLoad(
    session ? JSON.stringify([readsHistory, version]) : null,
    async (signal) => {
      const parts = (await loadParts(signal)).filter((p) => p.canImport);
      const [recent, history] = readsHistory
        ? await Promise.all([
            loadRecent(
              parts.map((p) => p.name),
              signal,
            ),
            loadHistory(signal),
          ])
        : [{}, null];
      return { parts, recent, history };
    },
    setError,
    { keepPrevious: true },
  );
  const parts = loaded?.parts ?? null;
  const recent = loaded?.recent ?? {};
  const history = loaded?.history ?? null;

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
