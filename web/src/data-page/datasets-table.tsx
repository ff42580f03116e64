// The datasets the user may import: where each comes from now, its last import, its templates, and
// a rollback of its latest applied import (after confirming).
import { useState } from 'react';
import type { Lang } from '../i18n.ts';
import { type DatasetPart, type RecentImport, type RollbackResult, rollBack, templateUrl } from './api.ts';
import { ConfirmBar } from './confirm.tsx';
import { describeError } from './errors.ts';
import { datasetName, when } from './history.tsx';
import { d, resultName } from './text.ts';

export function DatasetsTable(props: {
  parts: DatasetPart[];
  /** Recent imports per dataset, newest first (empty for users who may not read the history). */
  recent: Record<string, RecentImport[]>;
  lang: Lang;
  onRolledBack: () => void;
}) {
  const { parts, recent, lang } = props;
  const [asking, setAsking] = useState<string | null>(null);
  // Kept as what happened, not as text: the words follow a language switch.
  const [outcome, setOutcome] = useState<{ done: RollbackResult } | { failed: unknown } | null>(null);

  async function rollback(name: string) {
    setAsking(null);
    try {
      const target = recent[name]?.find((r) => r.result === 'applied' && r.newRows + r.changedRows > 0);
      setOutcome({ done: await rollBack(name, target?.id) });
      props.onRolledBack();
    } catch (e) {
      setOutcome({ failed: e });
    }
  }

  return (
    <>
      <table className="ledger" data-testid="datasets">
        <thead>
          <tr>
            <th>{d('dataset', lang)}</th>
            <th>{d('source', lang)}</th>
            <th>{d('lastImport', lang)}</th>
            <th>{d('template', lang)}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {parts.map((p) => {
            const last = recent[p.name]?.[0];
            const applied = recent[p.name]?.find((r) => r.result === 'applied');
            return (
              <tr key={p.name} data-testid={`dataset-${p.name}`}>
                <td>
                  <strong>{datasetName(parts, p.name, lang)}</strong>
                  {datasetName(parts, p.name, lang) !== p.name && <div className="muted">{p.name}</div>}
                </td>
                <td data-testid="dataset-source">
                  {d(
                    p.kind === 'IMPORTED' ? 'imported' : p.kind === 'PUBLISHED' ? 'published' : 'generated',
                    lang,
                  )}
                  {p.file && <div className="file-name">{p.file}</div>}
                  {p.at && <div className="muted">{when(p.at, lang)}</div>}
                </td>
                <td data-testid="dataset-last-import">
                  {last ? (
                    <>
                      {resultName(last.result, lang)} · {last.fileName}
                      <div className="muted">
                        {when(last.at, lang)} · {last.who.replace(/^user:/, '')}
                      </div>
                    </>
                  ) : (
                    <span className="muted">{d('never', lang)}</span>
                  )}
                </td>
                <td className="templates">
                  <a href={templateUrl(p.name, 'xlsx')} download data-testid={`template-${p.name}-xlsx`}>
                    XLSX
                  </a>{' '}
                  <a href={templateUrl(p.name, 'csv')} download data-testid={`template-${p.name}-csv`}>
                    CSV
                  </a>
                </td>
                <td>
                  {applied && (
                    <button
                      type="button"
                      onClick={() => setAsking(p.name)}
                      data-testid={`rollback-${p.name}`}
                    >
                      {d('rollback', lang)}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {asking && (
        <ConfirmBar
          question={d('confirmRollback', lang, {
            dataset: datasetName(parts, asking, lang),
            file: recent[asking]?.find((r) => r.result === 'applied')?.fileName ?? '',
          })}
          lang={lang}
          onConfirm={() => void rollback(asking)}
          onCancel={() => setAsking(null)}
          testId="confirm-rollback"
        />
      )}
      {outcome && (
        <p className={'failed' in outcome ? 'error' : 'ok'} role="status" data-testid="rollback-message">
          {'failed' in outcome
            ? describeError(outcome.failed, lang)
            : d('rolledBack', lang, {
                id: outcome.done.importId,
                restored: outcome.done.restoredRows,
                deleted: outcome.done.deletedRows,
              })}
        </p>
      )}
    </>
  );
}
