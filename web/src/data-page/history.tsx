// The import history, newest first: who imported which file into which dataset, when, with what result.
import type { Lang } from '../i18n.ts';
import type { DatasetPart, ImportRecord } from './api.ts';
import { d, resultName } from './text.ts';

export function when(at: string | null, lang: Lang): string {
  return at ? new Date(at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) : '—';
}

export function datasetName(parts: DatasetPart[], name: string, lang: Lang): string {
  const part = parts.find((p) => p.name === name);
  return part ? (lang === 'zh' ? part.nameZh : part.nameEn) : name;
}

export function HistoryTable({
  records,
  parts,
  lang,
}: {
  records: ImportRecord[];
  parts: DatasetPart[];
  lang: Lang;
}) {
  if (records.length === 0) return <p className="muted">{d('noImports', lang)}</p>;
  const numbers = ['rows', 'newRows', 'changedRows', 'unchangedRows', 'invalidRows', 'errors'] as const;
  return (
    <table className="ledger" data-testid="import-history">
      <thead>
        <tr>
          <th>{d('id', lang)}</th>
          <th>{d('dataset', lang)}</th>
          <th>{d('fileName', lang)}</th>
          <th>{d('who', lang)}</th>
          <th>{d('at', lang)}</th>
          <th>{d('status', lang)}</th>
          {numbers.map((n) => (
            <th key={n}>{d(n, lang)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {records.map((r) => (
          <tr key={r.id} className={r.result === 'rejected' || r.result === 'failed' ? 'overdue' : undefined}>
            <td className="number">{r.id}</td>
            <td>{datasetName(parts, r.dataset, lang)}</td>
            <td className="file-name">{r.fileName}</td>
            <td>{r.who.replace(/^user:/, '')}</td>
            <td>{when(r.at, lang)}</td>
            <td data-testid="history-result">
              {resultName(r.result, lang)}
              {r.rolledBackAt && (
                <div className="muted">
                  {when(r.rolledBackAt, lang)} · {r.rolledBackBy?.replace(/^user:/, '')}
                </div>
              )}
            </td>
            {numbers.map((n) => (
              <td className="number" key={n}>
                {r[n]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
