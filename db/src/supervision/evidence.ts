// Evidence (佐证材料): files stored by content (SHA-256) in the database (migration 0015). An
// upload stores the content once, however many times and by whomever it is sent, and records
// that this user uploaded it under a name; a problem's write (a rectification, or an attachment on
// its own) then attaches the user's own uploads in its transaction. Knowing a hash is not enough
// to attach a file: the user must have sent the content themselves. The HTTP side (type sniffing,
// thumbnails, who may download) is server/src/evidence/.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import { SupervisionError } from './errors.ts';

/** What evidence may be: media type → the file name's extension. Checked from the bytes. */
export const EVIDENCE_TYPES = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'application/pdf': ['pdf'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
} as const;
export type EvidenceMediaType = keyof typeof EVIDENCE_TYPES;

/** Files a problem keeps at most, and a single write attaches at most. */
export const MAX_EVIDENCE_PER_PROBLEM = 50;
export const MAX_EVIDENCE_PER_WRITE = 10;

export interface EvidenceContent {
  sha256: string;
  mediaType: EvidenceMediaType;
  content: Uint8Array;
  /** A small JPEG, for images. */
  thumbnail: Uint8Array | null;
}

/**
 * What one user may hold in uploads no problem uses yet (they are deleted a day after upload): a
 * bound on what an account can pile up in the database between cleanups.
 */
export const UNATTACHED_UPLOAD_LIMIT = { files: 200, bytes: 500 * 1024 * 1024 };

/** The user's uploads that no problem uses (kept until the cleanup a day after upload): how many, and their bytes. */
export async function unattachedUploads(
  db: Executor,
  userId: number,
): Promise<{ files: number; bytes: number }> {
  const [row] = await queryRows<{ files: number; bytes: string | number }>(
    db,
    sql`SELECT count(*)::int AS files, coalesce(sum(f.size), 0)::bigint AS bytes
        FROM evidence_uploads u JOIN evidence_files f ON f.sha256 = u.sha256
        WHERE u.user_id = ${userId}
          AND NOT EXISTS (SELECT 1 FROM problem_evidence e WHERE e.sha256 = u.sha256)`,
  );
  return { files: row?.files ?? 0, bytes: Number(row?.bytes ?? 0) };
}

/**
 * Stores the content (once) and records this user's upload of it under `fileName`. Returns whether
 * the upload is new for this user (a repeat renews it and is not logged again).
 */
export async function storeEvidenceUpload(
  db: Executor,
  file: EvidenceContent,
  upload: { userId: number; fileName: string },
): Promise<boolean> {
  await db.execute(sql`INSERT INTO evidence_files (sha256, media_type, size, content, thumbnail)
    VALUES (${file.sha256}, ${file.mediaType}, ${file.content.byteLength}, ${Buffer.from(file.content)},
      ${file.thumbnail ? Buffer.from(file.thumbnail) : null})
    ON CONFLICT (sha256) DO UPDATE SET created_at = now()`);
  // A second upload of the same content renews the upload (its day before cleanup starts again).
  const [row] = await queryRows<{ inserted: boolean }>(
    db,
    sql`INSERT INTO evidence_uploads (user_id, sha256, file_name) VALUES (${upload.userId}, ${file.sha256}, ${upload.fileName})
      ON CONFLICT (user_id, sha256) DO UPDATE SET file_name = EXCLUDED.file_name, uploaded_at = now()
      RETURNING (xmax = 0) AS inserted`,
  );
  return row?.inserted === true;
}

/** A file to attach: the SHA-256 of the user's upload (it keeps the name it was uploaded under). */
export interface EvidenceItem {
  sha256: string;
}

/**
 * Attaches the actor's uploads to a problem (inside the write's transaction, after the problem was
 * locked and checked). Refuses, naming the item, content the user has not uploaded and a file the
 * problem has already. Returns the names attached.
 */
export async function attachEvidence(
  tx: Executor,
  problemId: number,
  actor: { userId: number; username: string },
  items: readonly EvidenceItem[],
  field: string,
): Promise<string[]> {
  if (!items.length) return [];
  const hashes = items.map((i) => i.sha256);
  const uploads = await queryRows<{ sha256: string; fileName: string }>(
    tx,
    sql`SELECT sha256, file_name AS "fileName" FROM evidence_uploads
        WHERE user_id = ${actor.userId} AND sha256 IN ${sqlList(hashes)}`,
  );
  const attached = await queryRows<{ sha256: string }>(
    tx,
    sql`SELECT sha256 FROM problem_evidence WHERE problem_id = ${problemId}`,
  );
  const already = new Set(attached.map((a) => a.sha256));
  if (attached.length + items.length > MAX_EVIDENCE_PER_PROBLEM)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      field,
      `problem ${problemId} has ${attached.length} files; at most ${MAX_EVIDENCE_PER_PROBLEM} are kept`,
    );
  const names: string[] = [];
  for (const [n, item] of items.entries()) {
    const upload = uploads.find((u) => u.sha256 === item.sha256);
    if (!upload)
      throw new SupervisionError(
        'BAD_USER_INPUT',
        `${field}[${n}].sha256`,
        `you have no upload with SHA-256 ${item.sha256}: upload the file first (POST /api/evidence); an upload no problem used is deleted after a day`,
      );
    if (already.has(item.sha256))
      throw new SupervisionError(
        'BAD_USER_INPUT',
        `${field}[${n}].sha256`,
        `problem ${problemId} already has this file`,
      );
    already.add(item.sha256);
    const name = upload.fileName;
    await tx.execute(sql`INSERT INTO problem_evidence (problem_id, sha256, file_name, attached_by)
      VALUES (${problemId}, ${item.sha256}, ${name}, ${actor.username})`);
    names.push(name);
  }
  return names;
}

export interface EvidenceRow {
  id: number;
  problemId: number;
  sha256: string;
  fileName: string;
  mediaType: EvidenceMediaType;
  size: number;
  hasThumbnail: boolean;
  attachedBy: string;
  attachedAt: string;
}

/** The files of each problem, in the order they were attached. */
export function findEvidence(db: Executor, problemIds: readonly number[]): Promise<EvidenceRow[]> {
  if (!problemIds.length) return Promise.resolve([]);
  return queryRows<EvidenceRow>(
    db,
    sql`SELECT e.id, e.problem_id AS "problemId", e.sha256, e.file_name AS "fileName", f.media_type AS "mediaType",
          f.size, f.thumbnail IS NOT NULL AS "hasThumbnail", e.attached_by AS "attachedBy",
          to_char(e.attached_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "attachedAt"
        FROM problem_evidence e JOIN evidence_files f ON f.sha256 = e.sha256
        WHERE e.problem_id IN ${sqlList(problemIds)} ORDER BY e.problem_id, e.id`,
  );
}

/** What a download checks first: the attachment, its problem's place and department. */
export interface EvidenceFileRead {
  sha256: string;
  fileName: string;
  mediaType: EvidenceMediaType;
  countyCode: string;
  departmentId: number | null;
  hasThumbnail: boolean;
}

/** An attachment without its bytes (those are read only once the caller may have them). */
export async function readEvidenceFile(db: Executor, attachmentId: number): Promise<EvidenceFileRead | null> {
  const [row] = await queryRows<EvidenceFileRead>(
    db,
    sql`SELECT e.sha256, e.file_name AS "fileName", f.media_type AS "mediaType", p.county_code AS "countyCode",
          p.department_id AS "departmentId", f.thumbnail IS NOT NULL AS "hasThumbnail"
        FROM problem_evidence e JOIN evidence_files f ON f.sha256 = e.sha256
          JOIN supervision_problems p ON p.id = e.problem_id
        WHERE e.id = ${attachmentId}`,
  );
  return row ?? null;
}

/** The stored content, or its thumbnail, by hash. */
export async function readEvidenceBytes(
  db: Executor,
  sha256: string,
  part: 'content' | 'thumbnail',
): Promise<Uint8Array | null> {
  const [row] = await queryRows<{ bytes: Uint8Array | null }>(
    db,
    sql`SELECT ${part === 'content' ? sql`content` : sql`thumbnail`} AS bytes FROM evidence_files WHERE sha256 = ${sha256}`,
  );
  return row?.bytes ?? null;
}

/** Deletes content no problem uses, uploaded more than `hours` ago (uploads go with it). */
export async function deleteUnusedEvidence(db: Executor, hours = 24): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`WITH gone AS (
          DELETE FROM evidence_files f WHERE f.created_at < now() - make_interval(hours => ${hours})
            AND NOT EXISTS (SELECT 1 FROM problem_evidence e WHERE e.sha256 = f.sha256)
          RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return row?.n ?? 0;
}
