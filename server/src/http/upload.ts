// An uploaded file (an import's, an evidence file), from the raw request body to a temporary file:
// the name the client gives is sanitised (it is kept for the record; an import's extension decides
// its format), the body is streamed to disk with backpressure (never held in memory) and cut off
// at the size limit, and the SHA-256 is taken on the way.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'express';

/** Longest file name kept, in UTF-8 bytes (file systems allow 255; an ellipsis marks a cut). */
export const MAX_FILE_NAME_BYTES = 200;

/**
 * A file name safe to keep and to create: the last path segment only (no `..`, no folders), no
 * control or bidirectional-override characters, none of `<>:"|?*` (Windows refuses them), no
 * leading dots or spaces, at most MAX_FILE_NAME_BYTES with the extension kept. Empty when
 * nothing is left.
 */
export function sanitizeFileName(raw: string): string {
  const last = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .normalize('NFC')
    // C0 and C1 controls, DEL, zero-width characters, bidirectional overrides and isolates, BOM.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  const size = (s: string) => Buffer.byteLength(s, 'utf8');
  if (size(cleaned) <= MAX_FILE_NAME_BYTES) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  let stem = '';
  const room = MAX_FILE_NAME_BYTES - size(`…${ext}`);
  for (const char of cleaned.slice(0, cleaned.length - ext.length)) {
    if (size(stem + char) > room) break;
    stem += char;
  }
  return `${stem}…${ext}`;
}

/** The file's name from `X-File-Name` (percent-encoded UTF-8, or plain ASCII) or `?fileName=`. */
export function givenFileName(req: Request): string | null {
  const header = req.get('x-file-name');
  if (header) {
    try {
      return decodeURIComponent(header);
    } catch {
      return header;
    }
  }
  const query = req.query.fileName;
  return typeof query === 'string' ? query : null;
}

export class BodyTooLarge extends Error {}
/** Nothing arrived for the idle time: a stalled or trickled upload gives its import slot back. */
export class UploadStalled extends Error {}

/** The body arrives, but slower on average than the server accepts (see `minRate`). */
export class UploadTooSlow extends Error {
  constructor(readonly bytesPerSecond: number) {
    super('the upload is too slow');
  }
}

/**
 * The least average speed of an upload, from its first byte, once it has run `afterMs`: a client
 * that sends a byte just inside the idle time would otherwise hold an import slot until Node's
 * request timeout. Checked as data arrives (the idle time covers a client that sends nothing).
 */
export interface MinRate {
  bytesPerSecond: number;
  afterMs: number;
}

export interface Upload {
  /** The temporary file, named as the upload (sanitised). */
  path: string;
  bytes: number;
  sha256: string;
  /** Deletes the file and its folder; safe to call more than once. */
  remove(): Promise<void>;
}

/**
 * Streams the request body into a new folder under `tempRoot`, as `name`. Rejects with BodyTooLarge
 * as soon as more than `maxBytes` arrive (the file is deleted; the rest of the body is read and
 * discarded, so the client still gets the answer instead of a reset connection). The caller must
 * call `remove()` after a success.
 */
export async function receiveBody(
  req: Request,
  options: { tempRoot: string; name: string; maxBytes: number; idleMs: number; minRate: MinRate },
): Promise<Upload> {
  const dir = await mkdtemp(join(options.tempRoot, 'rrm-upload-'));
  const path = join(dir, options.name);
  const remove = () => rm(dir, { recursive: true, force: true });
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(path, { flags: 'wx' });
      let failed = false;
      let idle: NodeJS.Timeout | undefined;
      const waitForData = () => {
        clearTimeout(idle);
        idle = setTimeout(() => fail(new UploadStalled()), options.idleMs);
      };
      waitForData();
      // The rate is measured from the first byte: a client may take its time before it starts.
      let started: number | null = null;
      const fail = (error: Error) => {
        clearTimeout(idle);
        if (failed) return;
        failed = true;
        req.off('data', onData);
        req.off('end', onEnd);
        // Keep reading and dropping what is left of the body (see above).
        req.resume();
        out.destroy();
        reject(error);
      };
      const onData = (chunk: Buffer) => {
        waitForData();
        bytes += chunk.length;
        if (bytes > options.maxBytes) return fail(new BodyTooLarge());
        started ??= performance.now();
        const elapsed = performance.now() - started;
        if (elapsed > options.minRate.afterMs) {
          const rate = (bytes * 1000) / elapsed;
          if (rate < options.minRate.bytesPerSecond) return fail(new UploadTooSlow(Math.round(rate)));
        }
        hash.update(chunk);
        if (!out.write(chunk)) {
          req.pause();
          out.once('drain', () => req.resume());
        }
      };
      const onEnd = () => {
        clearTimeout(idle);
        out.end();
      };
      out.on('error', fail);
      out.on('finish', () => {
        if (!failed) resolve();
      });
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', fail);
      // The client went away before the body ended.
      req.on('aborted', () => fail(new Error('the upload was aborted')));
      req.on('close', () => {
        if (!req.complete) fail(new Error('the upload was aborted'));
      });
    });
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, bytes, sha256: hash.digest('hex'), remove };
}
