// 佐证材料 on the ledger page: a problem's files (thumbnails of photos, links to documents), and
// adding files — each is uploaded (POST /api/evidence), then attached by a GraphQL write: on its
// own here, or with the rectification (listing-page.tsx).
import { useState } from 'react';
import { ApiError, request } from '../api.ts';
import { graphql } from '../graphql.ts';
import type { Lang } from '../i18n.ts';
import { s } from './text.ts';

/** The types the server takes (it checks the bytes; this only narrows the file picker). */
export const EVIDENCE_ACCEPT = '.jpg,.jpeg,.png,.pdf,.xlsx,.docx';

/** Uploads one file; answers its SHA-256 for the write that attaches it. */
export async function uploadEvidence(file: File): Promise<string> {
  const response = await fetch('/api/evidence', {
    method: 'POST',
    headers: {
      // The login goes along in its cookie; this header shows the request comes from the page.
      'x-requested-with': 'rrm-ledger',
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(file.name),
    },
    body: file,
  });
  const body = (await response.json().catch(() => null)) as {
    sha256?: string;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  } | null;
  if (response.ok && body?.sha256) return body.sha256;
  const first = body?.errors?.[0];
  throw new ApiError(
    `${file.name}: ${first?.message ?? `upload failed (${response.status})`}`,
    first?.extensions?.code as string | undefined,
    first?.extensions ?? {},
  );
}

/** Uploads each file in turn; the first refusal stops (nothing is attached until the write). */
export async function uploadAll(files: readonly File[]): Promise<{ sha256: string }[]> {
  const uploaded: { sha256: string }[] = [];
  for (const file of files) uploaded.push({ sha256: await uploadEvidence(file) });
  return uploaded;
}

const ATTACH = graphql(`
  mutation($id: Int!, $v: Int!, $e: [EvidenceInput!]!) {
    attachEvidence(id: $id, expectedVersion: $v, evidence: $e) { id }
  }
`);

export interface EvidenceFile {
  id: number;
  fileName: string;
  size: number;
  url: string;
  thumbnailUrl: string | null;
  attachedBy: string;
}

export function EvidenceList({ files, lang }: { files: readonly EvidenceFile[]; lang: Lang }) {
  if (!files.length) return <p className="muted">{s('noEvidence', lang)}</p>;
  return (
    <ul className="evidence" data-testid="evidence">
      {files.map((f) => (
        <li key={f.id}>
          <a
            href={f.url}
            target="_blank"
            rel="noopener noreferrer"
            title={`${f.attachedBy} · ${kilobytes(f.size)}`}
          >
            {f.thumbnailUrl ? (
              <img src={f.thumbnailUrl} alt={f.fileName} height={72} />
            ) : (
              <span className="file">📄</span>
            )}
            <span>{f.fileName}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Adds files to a problem that is not closed. */
export function AttachEvidence(props: {
  problemId: number;
  version: number;
  lang: Lang;
  onDone: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function attach(files: File[]) {
    if (!files.length) return;
    setBusy(true);
    setError(null);
    try {
      const evidence = await uploadAll(files);
      await request(ATTACH, { id: props.problemId, v: props.version, e: evidence });
      props.onDone();
    } catch (e) {
      setError((e as Error).message);
      if (e instanceof ApiError && e.code === 'CONFLICT') props.onDone();
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="attach-evidence">
      <label>
        {s('addEvidence', props.lang)}{' '}
        <input
          type="file"
          multiple
          accept={EVIDENCE_ACCEPT}
          disabled={busy}
          data-testid="attach-evidence"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void attach(files);
          }}
        />
      </label>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

const kilobytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;
