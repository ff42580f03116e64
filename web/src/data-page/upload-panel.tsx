// Upload: pick a dataset and a file, check it (a dry run: nothing written), look at the counts,
// errors and examples, then apply the same file after confirming. The apply names the SHA-256 the
// dry run saw, so a file changed on disk in between is refused instead of imported unchecked.
import { useState } from 'react';
import type { Lang } from '../i18n.ts';
import { type DatasetPart, type ImportResult, sendFile } from './api.ts';
import { ConfirmBar } from './confirm.tsx';
import { describeError } from './errors.ts';
import { datasetName } from './history.tsx';
import { ImportSummary } from './summary.tsx';
import { d } from './text.ts';

export function UploadPanel({
  parts,
  lang,
  onApplied,
}: {
  parts: DatasetPart[];
  lang: Lang;
  onApplied: () => void;
}) {
  const [dataset, setDataset] = useState(parts[0]?.name ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'check' | 'apply' | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [outcome, setOutcome] = useState<ImportResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const reset = () => {
    setPreview(null);
    setOutcome(null);
    setConfirming(false);
    setError(null);
  };

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(dryRun ? 'check' : 'apply');
    setError(null);
    try {
      const result = await sendFile(dataset, file, { dryRun, sha256: dryRun ? undefined : preview?.sha256 });
      if (dryRun) setPreview(result);
      else {
        setPreview(null);
        setOutcome(result);
        onApplied();
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
      setConfirming(false);
    }
  }

  const clean = preview && preview.errorCount === 0;
  const changes = preview ? preview.newRows + preview.changedRows : 0;
  return (
    <section className="card upload" data-testid="upload">
      <h3>{d('upload', lang)}</h3>
      <div className="filters">
        <label>
          {d('dataset', lang)}
          <select
            value={dataset}
            onChange={(e) => {
              setDataset(e.target.value);
              reset();
            }}
            data-testid="upload-dataset"
          >
            {parts.map((p) => (
              <option key={p.name} value={p.name}>
                {datasetName(parts, p.name, lang)}
                {datasetName(parts, p.name, lang) === p.name ? '' : ` (${p.name})`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {d('file', lang)}
          <input
            type="file"
            accept=".xlsx,.csv,.txt"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              reset();
            }}
            data-testid="upload-file"
          />
        </label>
        <button
          type="button"
          disabled={!file || busy !== null}
          onClick={() => void run(true)}
          data-testid="check"
        >
          {busy === 'check' ? d('checking', lang) : d('check', lang)}
        </button>
      </div>
      {error != null && (
        <p className="error" role="alert" data-testid="upload-error">
          {describeError(error, lang)}
        </p>
      )}
      {preview && (
        <>
          <h3>
            {d('preview', lang)} · {preview.file}
          </h3>
          <ImportSummary result={preview} lang={lang} testId="preview" />
          {!clean && <p className="alert">{d('fixAndRetry', lang)}</p>}
          {clean && changes === 0 && <p className="muted">{d('nothingToChange', lang)}</p>}
          {clean && changes > 0 && !confirming && (
            <button
              type="button"
              className="primary"
              disabled={busy !== null}
              onClick={() => setConfirming(true)}
              data-testid="apply"
            >
              {busy === 'apply' ? d('applying', lang) : d('apply', lang)}
            </button>
          )}
          {confirming && (
            <ConfirmBar
              question={d('confirmApply', lang, {
                dataset: datasetName(parts, dataset, lang),
                new: preview.newRows,
                changed: preview.changedRows,
              })}
              lang={lang}
              onConfirm={() => void run(false)}
              onCancel={() => setConfirming(false)}
              testId="confirm-apply"
            />
          )}
        </>
      )}
      {outcome && (
        <>
          <h3>
            {d('result', lang)} · {outcome.file}
          </h3>
          {outcome.result === 'applied' ? (
            <p className="ok" data-testid="applied">
              {d('applied', lang, { id: outcome.importId ?? '' })}
            </p>
          ) : (
            <p className="alert">{d('fixAndRetry', lang)}</p>
          )}
          <ImportSummary result={outcome} lang={lang} testId="outcome" />
        </>
      )}
    </section>
  );
}
