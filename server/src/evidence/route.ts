// Evidence files (佐证材料) over HTTP:
//   POST /api/evidence                 the file as the raw body (X-File-Name names it) → 201
//                                      { sha256, fileName, mediaType, size, thumbnail }
//   GET  /api/evidence/{id}            an attached file, to whoever may read its problem
//   GET  /api/evidence/{id}/thumbnail  a small JPEG of an attached image
// An upload is only stored: attachEvidence or submitRectification (GraphQL) attach it to a problem,
// in the write's transaction. The type is read from the bytes (file-type), never from the name;
// the name must agree with it. Images are decoded once (sharp) to make the thumbnail, which also
// refuses an image that does not decode. Who may upload: supervisors, department users, admins.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  appendAudit,
  type Database,
  EVIDENCE_TYPES,
  type EvidenceMediaType,
  readEvidenceBytes,
  readEvidenceFile,
  storeEvidenceUpload,
  UNATTACHED_UPLOAD_LIMIT,
  unattachedUploads,
} from '@rrm/db';
import { problemReadScope, requireLogin, requireRole } from '@rrm/schema';
import express from 'express';
import { fileTypeFromBuffer } from 'file-type';
import { GraphQLError } from 'graphql';
import sharp from 'sharp';
import { ConcurrencyLimit } from '../concurrency.ts';
import {
  csrfCheck,
  markWrite,
  megabytes,
  RouteError,
  send,
  uploadRefusal,
  viewerOf,
} from '../http/routes.ts';
import { givenFileName, type MinRate, receiveBody, sanitizeFileName } from '../http/upload.ts';

export const DEFAULT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;

/** Files one server checks at once (each may decode an image of up to MAX_IMAGE_PIXELS). */
const MAX_CONCURRENT_CHECKS = 2;
/** Files one account may be sending at once. */
const MAX_UPLOADS_PER_ACCOUNT = 2;
/** Files one server reads for download at once (each up to EVIDENCE_MAX_MB in memory). */
const MAX_CONCURRENT_DOWNLOADS = 8;
/** The largest image decoded for a thumbnail: 50 megapixels (a phone's photo is 12–50). */
const MAX_IMAGE_PIXELS = 50_000_000;
const THUMBNAIL_SIZE = 320;

const TYPE_NAMES: Record<EvidenceMediaType, string> = {
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'application/pdf': 'a PDF document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'an XLSX workbook',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'a DOCX document',
};

export interface EvidenceRouteOptions {
  /** Largest file in bytes (default EVIDENCE_MAX_MB, else 20 MB). */
  maxBytes?: number;
  tempDir?: string;
  idleMs?: number;
  minRate?: MinRate;
  /** What one account may hold unattached (default UNATTACHED_UPLOAD_LIMIT). */
  unattachedLimit?: { files: number; bytes: number };
}

const isEvidenceType = (mime: string): mime is EvidenceMediaType => Object.hasOwn(EVIDENCE_TYPES, mime);

export function evidenceRouter(database: Database, options: EvidenceRouteOptions = {}): express.Router {
  const envMb = Number(process.env.EVIDENCE_MAX_MB);
  const maxBytes =
    options.maxBytes ?? (envMb > 0 ? Math.round(envMb * 1024 * 1024) : DEFAULT_EVIDENCE_MAX_BYTES);
  const tempRoot = options.tempDir ?? tmpdir();
  const idleMs = options.idleMs ?? 30_000;
  const minRate = options.minRate ?? { bytesPerSecond: 8 * 1024, afterMs: 30_000 };
  /** The server's checks of uploaded files (type, image decoding), a few at a time, in order. */
  const checks = new ConcurrencyLimit(MAX_CONCURRENT_CHECKS);
  /** Files each account is sending now. */
  const receiving = new Map<number, number>();
  /** Downloads read whole files (up to the size limit) into memory: a few at a time. */
  const downloads = new ConcurrencyLimit(MAX_CONCURRENT_DOWNLOADS);
  const limit = options.unattachedLimit ?? UNATTACHED_UPLOAD_LIMIT;
  const router = express.Router();

  router.post('/', async (req, res) => {
    let user: { id: number; username: string };
    let name: string;
    try {
      const viewer = await viewerOf(database, req);
      user = requireRole(viewer, ['supervisor', 'department', 'admin'], 'uploading evidence');
      csrfCheck(req);
      name = sanitizeFileName(givenFileName(req) ?? '');
      if (!name)
        throw new RouteError(
          400,
          'BAD_USER_INPUT',
          'name the file: send its name in the X-File-Name header (percent-encoded UTF-8)',
          '请在 X-File-Name 请求头中给出文件名',
          'fileName',
        );
    } catch (error) {
      if (error instanceof RouteError || error instanceof GraphQLError) return send(res, error);
      throw error;
    }
    // An account's unattached uploads are bounded (they wait a day for cleanup in the database).
    const held = await unattachedUploads(database.db, user.id);
    if (held.files >= limit.files || held.bytes >= limit.bytes)
      return send(
        res,
        new RouteError(
          429,
          'UPLOAD_QUOTA',
          `you have ${held.files} uploads (${megabytes(held.bytes)}) that no problem uses yet, the most one account keeps: attach them, or wait for them to be cleared a day after upload`,
          '您已有较多尚未附到问题上的上传文件，请先附上或等待一天后自动清理',
        ),
      );
    // A slow sender holds only their own slots: two files in flight per account (a third is told
    // to wait); the server's checks (type, thumbnail) take one of its own slots once a file is in.
    if ((receiving.get(user.id) ?? 0) >= MAX_UPLOADS_PER_ACCOUNT) {
      res.setHeader('retry-after', '5');
      return send(
        res,
        new RouteError(
          429,
          'TOO_MANY_UPLOADS',
          `you are sending ${MAX_UPLOADS_PER_ACCOUNT} files already; send the next when one is in`,
          '您正在上传的文件已达上限，请等其中一个完成后再上传',
        ),
      );
    }
    receiving.set(user.id, (receiving.get(user.id) ?? 0) + 1);
    const release = () => {
      const left = (receiving.get(user.id) ?? 1) - 1;
      if (left > 0) receiving.set(user.id, left);
      else receiving.delete(user.id);
    };
    let upload: Awaited<ReturnType<typeof receiveBody>> | null = null;
    try {
      upload = await receiveBody(req, { tempRoot, name, maxBytes, idleMs, minRate });
      if (upload.bytes === 0)
        throw new RouteError(
          400,
          'BAD_USER_INPUT',
          'the body is empty: send the file as the request body',
          '请求体为空',
          'body',
        );
      const content = await readFile(upload.path);
      const { mediaType, fileName, thumbnail } = await checks.run(async () => {
        const typed = await checkType(content, name);
        return {
          ...typed,
          thumbnail: typed.mediaType.startsWith('image/') ? await makeThumbnail(content) : null,
        };
      });
      const sha256 = upload.sha256;
      await database.db.transaction(async (tx) => {
        const fresh = await storeEvidenceUpload(
          tx,
          { sha256, mediaType, content, thumbnail },
          { userId: user.id, fileName },
        );
        // The same file again from the same account is logged once (a repeat cannot grow the log).
        if (fresh)
          await appendAudit(
            tx,
            { userId: user.id, username: user.username, clientAddress: req.ip ?? null },
            {
              action: 'evidence.uploaded',
              targetKind: 'evidence',
              targetId: sha256,
              note: `${fileName} (${mediaType}, ${content.byteLength} bytes)`,
            },
          );
      });
      await markWrite(database, res);
      res.setHeader('cache-control', 'no-store');
      res.status(201).json({ sha256, fileName, mediaType, size: content.byteLength, thumbnail: !!thumbnail });
    } catch (error) {
      const refusal = uploadRefusal(error, {
        idleMs,
        minRate,
        tooLarge: () =>
          new RouteError(
            413,
            'PAYLOAD_TOO_LARGE',
            `the file is larger than the evidence limit of ${megabytes(maxBytes)} (EVIDENCE_MAX_MB): send a smaller photo or a shorter document`,
            `文件超过佐证材料上限 ${megabytes(maxBytes)}：请压缩照片或拆分文档`,
            'body',
          ),
      });
      if (refusal) send(res, refusal);
      else if (error instanceof RouteError) send(res, error);
      // The client went away mid-upload: nobody to answer.
      else if (req.complete && !req.destroyed) throw error;
    } finally {
      release();
      await upload?.remove();
    }
  });

  for (const part of ['content', 'thumbnail'] as const) {
    router.get(part === 'content' ? '/:id' : '/:id/thumbnail', async (req, res) => {
      try {
        const id = String(req.params.id);
        if (!/^\d{1,9}$/.test(id))
          throw new RouteError(
            400,
            'BAD_USER_INPUT',
            'the attachment is named by its number',
            '附件编号有误',
            'id',
          );
        const viewer = await viewerOf(database, req);
        requireLogin(viewer, 'evidence');
        const file = await readEvidenceFile(database.db, Number(id));
        // Another department's file is, to a department user, as absent as a file that is not there.
        const department = problemReadScope(viewer);
        if (!file || (department != null && file.departmentId !== department))
          throw new RouteError(
            404,
            'NOT_FOUND',
            `there is no attachment ${id}`,
            `没有编号为 ${id} 的附件`,
            'id',
          );
        if (part === 'thumbnail' && !file.hasThumbnail)
          throw new RouteError(
            404,
            'NOT_FOUND',
            `attachment ${id} is not an image: it has no thumbnail`,
            undefined,
            'id',
          );
        const etag = `"${file.sha256}${part === 'thumbnail' ? '-t' : ''}"`;
        res.setHeader('etag', etag);
        res.setHeader('cache-control', 'private, max-age=3600');
        // A file is shown as what its bytes are, and never run: no sniffing, and a sandbox for
        // anything a browser might render.
        res.setHeader('x-content-type-options', 'nosniff');
        res.setHeader('content-security-policy', "default-src 'none'; img-src 'self'; sandbox");
        if (req.headers['if-none-match'] === etag) return res.status(304).end();
        const image = part === 'thumbnail' || file.mediaType.startsWith('image/');
        res.setHeader('content-type', part === 'thumbnail' ? 'image/jpeg' : file.mediaType);
        res.setHeader(
          'content-disposition',
          `${image ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        );
        const bytes = await downloads.run(() => readEvidenceBytes(database.db, file.sha256, part));
        if (!bytes) throw new RouteError(404, 'NOT_FOUND', `there is no attachment ${id}`, undefined, 'id');
        res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } catch (error) {
        if (error instanceof RouteError || error instanceof GraphQLError) return send(res, error);
        throw error;
      }
    });
  }
  return router;
}

/**
 * The file's type from its bytes, which must be one evidence may be, and the name it is kept
 * under: the name's extension must agree (a photo named .pdf is refused, not silently renamed);
 * a name without one gets the type's.
 */
async function checkType(
  content: Buffer,
  name: string,
): Promise<{ mediaType: EvidenceMediaType; fileName: string }> {
  const detected = await fileTypeFromBuffer(content);
  if (!detected || !isEvidenceType(detected.mime))
    throw new RouteError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `the file is ${detected ? `${detected.mime} (.${detected.ext})` : 'of no type this server recognises'}, whatever its name says: evidence must be a JPEG or PNG photo, a PDF, an XLSX workbook or a DOCX document`,
      '佐证材料须为 JPEG/PNG 照片、PDF、XLSX 或 DOCX 文件（按文件内容判断，而非文件名）',
      'body',
    );
  const mediaType = detected.mime;
  const extensions: readonly string[] = EVIDENCE_TYPES[mediaType];
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const [usual] = extensions as [string];
  if (!extension) return { mediaType, fileName: `${name}.${usual}` };
  if (!extensions.includes(extension))
    throw new RouteError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `the file is ${TYPE_NAMES[mediaType]}, but its name ends in .${extension}: name it .${usual}`,
      `文件内容与扩展名不符（内容为 ${usual.toUpperCase()}，文件名为 .${extension}）`,
      'fileName',
    );
  return { mediaType, fileName: name };
}

/** A JPEG at most THUMBNAIL_SIZE on a side, upright (EXIF orientation), without the photo's metadata. */
async function makeThumbnail(content: Buffer): Promise<Buffer> {
  try {
    return await sharp(content, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 75 })
      .toBuffer();
  } catch (error) {
    const tooBig = /pixel limit/i.test((error as Error).message);
    throw new RouteError(
      422,
      tooBig ? 'IMAGE_TOO_LARGE' : 'UNREADABLE_IMAGE',
      tooBig
        ? `the image has more than ${MAX_IMAGE_PIXELS / 1_000_000} megapixels: send a smaller one`
        : 'the image cannot be decoded (a damaged or truncated file?)',
      tooBig ? '图片像素过多，请缩小后再上传' : '图片无法解码（文件可能已损坏）',
      'body',
    );
  }
}
