// What a dry run or an apply found: the counts, the first errors (sheet, row, column, message in the
// page's language) and examples of changes, old → new.
import type { Lang } from '../i18n.ts';
import type { ImportResult } from './api.ts';
import { d } from './text.ts';

/** Errors listed on the page; the full count is shown beside them. */
const SHOWN_ERRORS = 50;

export function ImportSummary({
  result,
  lang,
  testId,
}: {
  result: ImportResult;
  lang: Lang;
  testId: string;
}) {
  const counts = [
    ['rows', result.rows],
    ['newRows', result.newRows],
    ['changedRows', result.changedRows],
    ['unchangedRows', result.unchangedRows],
    ['invalidRows', result.invalidRows],
    ['errors', result.errorCount],
  ] as const;
  return (
    <div data-testid={testId}>
      <div className="kpis inline counts-row">
        {counts.map(([key, value]) => (
          <div className={`kpi${key === 'invalidRows' && value > 0 ? ' alert' : ''}`} key={key}>
            <div className="kpi-value" data-testid={`${testId}-${key}`}>
              {value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US')}
            </div>
            <div className="kpi-label">{d(key, lang)}</div>
          </div>
        ))}
      </div>
      {result.errors.length > 0 && <ErrorTable result={result} lang={lang} />}
      {result.examples.length > 0 && (
        <>
          <h3>{d('examples', lang)}</h3>
          <table className="ledger" data-testid="examples">
            <thead>
              <tr>
                <th>{d('key', lang)}</th>
                <th>{d('row', lang)}</th>
                <th>{d('column', lang)}</th>
                <th>{d('old', lang)}</th>
                <th />
                <th>{d('new', lang)}</th>
              </tr>
            </thead>
            <tbody>
              {result.examples.map((e) => (
                <tr key={`${e.key}/${e.column}`}>
                  <td>{e.key}</td>
                  <td className="number">{e.row}</td>
                  <td>{e.column}</td>
                  <td className="number old">{shown(e.old, lang)}</td>
                  <td>→</td>
                  <td className="number new">{shown(e.new, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function ErrorTable({ result, lang }: { result: ImportResult; lang: Lang }) {
  const listed = result.errors.slice(0, SHOWN_ERRORS);
  return (
    <>
      <h3>
        {d('errors', lang)}{' '}
        {result.errorCount > listed.length && (
          <span className="muted">
            ({d('firstErrors', lang, { n: listed.length, total: result.errorCount })})
          </span>
        )}
      </h3>
      <table className="ledger errors" data-testid="import-errors">
        <thead>
          <tr>
            <th>{d('sheet', lang)}</th>
            <th>{d('row', lang)}</th>
            <th>{d('column', lang)}</th>
            <th>{d('message', lang)}</th>
          </tr>
        </thead>
        <tbody>
          {listed.map((e, i) => (
            // Errors have no id; their order is the file's and fixed for one result.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <tr key={i}>
              <td>{e.sheet}</td>
              <td className="number">{e.row}</td>
              <td>{e.column ?? '—'}</td>
              <td>{lang === 'zh' ? e.zh : e.en}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function shown(value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return d('empty', lang);
  if (value === true) return lang === 'zh' ? '是' : 'yes';
  if (value === false) return lang === 'zh' ? '否' : 'no';
  return String(value);
}
