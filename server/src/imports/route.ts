// The data page's HTTP routes (issue #12), over the import pipeline of db/src/imports:
//   GET  /api/data/templates/{dataset}?format=xlsx|csv      the template (public: no data in it)
//   POST /api/data/imports/{dataset}?dryRun=true|false      the file as the raw body → ImportResult
//        (X-File-Name or ?fileName= names it; &sha256= makes an apply refuse any other file)
//   POST /api/data/imports/{dataset}/rollback               undoes the dataset's latest applied import
// Who may do what is schema/src/auth/policy.ts (importRule). Answers: 200 with the ImportResult when
// applied or checked; 422 with the ImportResult when the file has errors (nothing written), or with
// a coded error when it cannot be read at all; 400, 401, 403, 409, 413, 415 with a coded error
// ({ errors: [{ message, extensions: { code, argument?, zh? } }] }, as /export and /tiles answer).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DATASETS,
  type Database,
  type DatasetSpec,
  FileFormatError,
  formatOf,
  HouseholdsStillLoading,
  ImportUsageError,
  importFile,
  rollbackImport,
  type TemplateFormat,
  writeTemplate,
} from '@rrm/db';
import { importRule, requireLogin } from '@rrm/schema';
import express, { type Request } from 'express';
import { GraphQLError } from 'graphql';
import { ConcurrencyLimit } from '../concurrency.ts';
import {
  csrfCheck,
  markWrite,
  megabytes,
  RouteError,
  send,
  sendStillLoading,
  uploadRefusal,
  viewerOf,
} from '../http/routes.ts';
import { givenFileName, type MinRate, receiveBody, sanitizeFileName } from '../http/upload.ts';

export interface ImportRouteOptions {
  /** Largest upload in bytes (default IMPORT_MAX_MB, else 200 MB). */
  maxBytes?: number;
  /** Where uploads are kept while they are imported (default the system's temporary folder). */
  tempDir?: string;
  /** An upload that sends nothing for this long is given up and its slot freed (default 60 s). */
  idleMs?: number;
  /** An upload slower than this on average, once its grace is over, is given up (default 8 KB/s after 60 s). */
  minRate?: MinRate;
}

/**
 * 8 KB/s: a 200 MB file in seven hours; a trickle of a byte a minute is cut at its first byte
 * after the first minute.
 */
const DEFAULT_MIN_RATE: MinRate = { bytesPerSecond: 8 * 1024, afterMs: 60_000 };

export const DEFAULT_IMPORT_MAX_BYTES = 200 * 1024 * 1024;

const CONTENT_TYPES: Record<TemplateFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** Imports (dry runs and applies) one server runs at once. */
const MAX_CONCURRENT_IMPORTS = 2;

function datasetNamed(name: string): DatasetSpec<never> {
  if (Object.hasOwn(DATASETS, name)) return DATASETS[name]!;
  const names = Object.keys(DATASETS).join(', ');
  throw new RouteError(
    400,
    'BAD_USER_INPUT',
    `unknown dataset "${name.slice(0, 100)}": use one of ${names}`,
    `没有名为“${name.slice(0, 100)}”的数据集，可用：${names}`,
    'dataset',
  );
}

export function importsRouter(database: Database, options: ImportRouteOptions = {}): express.Router {
  const envMb = Number(process.env.IMPORT_MAX_MB);
  const maxBytes =
    options.maxBytes ?? (envMb > 0 ? Math.round(envMb * 1024 * 1024) : DEFAULT_IMPORT_MAX_BYTES);
  const tempRoot = options.tempDir ?? tmpdir();
  const idleMs = options.idleMs ?? 60_000;
  const minRate = options.minRate ?? DEFAULT_MIN_RATE;
  const templates = new Map<string, Buffer>();
  const router = express.Router();

  router.get('/templates/:dataset', async (req, res) => {
    try {
      const spec = datasetNamed(String(req.params.dataset));
      const format = req.query.format ?? 'xlsx';
      if (format !== 'xlsx' && format !== 'csv')
        throw new RouteError(
          400,
          'BAD_USER_INPUT',
          'format must be xlsx or csv',
          '格式须为 xlsx 或 csv',
          'format',
        );
      const key = `${spec.name}.${format}`;
      let bytes = templates.get(key);
      if (!bytes) {
        // Written once per process to a temporary file (writeTemplate writes files), then kept.
        const scratch = await scratchFile(tempRoot, key);
        try {
          await writeTemplate(spec.name, format, scratch.path);
          bytes = await readFile(scratch.path);
        } finally {
          await scratch.remove();
        }
        templates.set(key, bytes);
      }
      const fileName = `${spec.zh}-导入模板.${format}`;
      res.setHeader('content-type', CONTENT_TYPES[format]);
      res.setHeader(
        'content-disposition',
        `attachment; filename="${spec.name}-template.${format}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      );
      res.setHeader('cache-control', 'no-cache');
      res.send(bytes);
    } catch (error) {
      if (error instanceof RouteError) return send(res, error);
      throw error;
    }
  });

  const importSlots = new ConcurrencyLimit(MAX_CONCURRENT_IMPORTS);
  router.post('/imports/:dataset', async (req, res) => {
    let dataset: DatasetSpec<never>;
    let who: string;
    let userId: number;
    let regionScope: string | null;
    let dryRun: boolean;
    let name: string;
    let expectedSha: string | null;
    try {
      const viewer = await viewerOf(database, req);
      requireLogin(viewer, 'importing data');
      dataset = datasetNamed(String(req.params.dataset));
      const allowed = importRule(viewer, dataset, 'import');
      csrfCheck(req);
      who = `user:${allowed.user.username}`;
      userId = allowed.user.id;
      regionScope = allowed.regionScope;
      ({ dryRun, name, expectedSha } = uploadParameters(req, maxBytes));
    } catch (error) {
      if (error instanceof RouteError || error instanceof GraphQLError) return send(res, error);
      throw error;
    }

    // Imports hold a CPU for seconds to minutes (and an apply the dataset's lock): a few at a time
    // per server, and a clear "later" for the rest rather than a queue nobody sees.
    const releaseSlot = importSlots.tryAcquire();
    if (!releaseSlot) {
      res.setHeader('retry-after', '10');
      return send(
        res,
        new RouteError(
          429,
          'TOO_MANY_IMPORTS',
          `${importSlots.active} imports are running on this server; try again in a moment`,
          '服务器正在处理其他导入，请稍后再试',
        ),
      );
    }
    // The answer is sent only after the upload is deleted: a client that has its answer finds no
    // file of its own left on the server.
    let upload: Awaited<ReturnType<typeof receiveBody>> | null = null;
    let answer: () => void;
    try {
      upload = await receiveBody(req, { tempRoot, name, maxBytes, idleMs, minRate });
      if (upload.bytes === 0)
        throw new RouteError(
          400,
          'BAD_USER_INPUT',
          'the body is empty: send the file as the request body (curl --data-binary @file)',
          '请求体为空：请把文件作为请求体发送',
          'body',
        );
      if (expectedSha && expectedSha !== upload.sha256)
        throw new RouteError(
          409,
          'FILE_CHANGED',
          `this file (SHA-256 ${upload.sha256}) is not the one that was checked (${expectedSha}); check it again before applying`,
          '此文件与预检的文件不同，请重新预检后再导入',
          'sha256',
        );
      const result = await importFile(database, {
        dataset: dataset.name,
        path: upload.path,
        dryRun,
        who,
        userId,
        clientAddress: req.ip ?? null,
        regionScope,
      });
      if (result.result === 'applied') await markWrite(database, res);
      console.log(
        `import ${result.importId ?? '(dry run)'} of ${result.dataset} by ${who}: ${result.result}, ${result.rows} rows, ${result.newRows} new, ${result.changedRows} changed, ${result.errorCount} errors`,
      );
      answer = () => {
        res.setHeader('cache-control', 'no-store');
        res.status(result.errorCount > 0 ? 422 : 200).json(result);
      };
    } catch (error) {
      const path = upload?.path;
      answer = () => {
        const refusal = uploadRefusal(error, { idleMs, minRate, tooLarge: () => tooLarge(maxBytes) });
        if (refusal) return send(res, refusal);
        if (error instanceof RouteError) return send(res, error);
        if (error instanceof FileFormatError) return send(res, unreadable(error, name, path));
        if (error instanceof ImportUsageError)
          return send(res, new RouteError(400, 'BAD_USER_INPUT', error.message, undefined, 'dataset'));
        if (error instanceof HouseholdsStillLoading) return sendStillLoading(res);
        // The client went away mid-upload: nobody to answer.
        if (!req.complete || req.destroyed) return;
        throw error;
      };
    } finally {
      releaseSlot();
      await upload?.remove();
    }
    answer();
  });

  router.post('/imports/:dataset/rollback', async (req, res) => {
    try {
      const viewer = await viewerOf(database, req);
      requireLogin(viewer, 'rolling back an import');
      const dataset = datasetNamed(String(req.params.dataset));
      const { user } = importRule(viewer, dataset, 'rollback');
      csrfCheck(req);
      // The import the caller saw as the latest: another user's newer import is not undone by mistake.
      const importId = req.query.importId;
      if (importId !== undefined && !(typeof importId === 'string' && /^\d{1,12}$/.test(importId)))
        throw new RouteError(
          400,
          'BAD_USER_INPUT',
          'importId must be an import number',
          undefined,
          'importId',
        );
      const result = await rollbackImport(database, {
        dataset: dataset.name,
        who: `user:${user.username}`,
        userId: user.id,
        clientAddress: req.ip ?? null,
        importId: importId === undefined ? undefined : Number(importId),
      });
      await markWrite(database, res);
      console.log(`rolled back import ${result.importId} of ${result.dataset} (user:${user.username})`);
      res.setHeader('cache-control', 'no-store');
      res.json(result);
    } catch (error) {
      if (error instanceof RouteError || error instanceof GraphQLError) return send(res, error);
      if (error instanceof HouseholdsStillLoading) return sendStillLoading(res);
      // Nothing to roll back, or rows it added are used by later data: the data's state, not the request.
      if (error instanceof ImportUsageError)
        return send(res, new RouteError(409, 'CONFLICT', error.message, undefined, 'dataset'));
      throw error;
    }
  });

  return router;
}

/** dryRun, the file's name (sanitised; its extension says the format) and the expected hash. */
function uploadParameters(
  req: Request,
  maxBytes: number,
): { dryRun: boolean; name: string; expectedSha: string | null } {
  const dry = req.query.dryRun ?? 'true';
  if (dry !== 'true' && dry !== 'false')
    throw new RouteError(
      400,
      'BAD_USER_INPUT',
      'dryRun must be true (check only, the default) or false (apply)',
      'dryRun 须为 true（仅预检，默认）或 false（导入）',
      'dryRun',
    );
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // A form's file arrives wrapped in its multipart envelope: refused, not read as a broken CSV.
  // (curl --data-binary sends application/x-www-form-urlencoded with the bytes as they are: fine.)
  if (type === 'multipart/form-data')
    throw new RouteError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'send the file itself as the request body (curl --data-binary @file), not a form (multipart/form-data)',
      '请直接把文件作为请求体发送（不要用表单上传）',
      'body',
    );
  // A declared length over the limit is refused before a byte is read.
  if (Number(req.get('content-length')) > maxBytes) throw tooLarge(maxBytes);
  const given = givenFileName(req);
  let name = sanitizeFileName(given ?? '');
  // No name: the content type says the format.
  if (!given) {
    if (type === 'text/csv') name = 'upload.csv';
    else if (type === CONTENT_TYPES.xlsx) name = 'upload.xlsx';
  }
  if (!name || !formatOf(name))
    throw new RouteError(
      400,
      'BAD_USER_INPUT',
      `${name ? `"${name}" is not an .xlsx or .csv file` : 'the file has no name'}: name it with X-File-Name (or ?fileName=) ending in .xlsx or .csv`,
      '文件须为 .xlsx 或 .csv（用 X-File-Name 请求头或 fileName 参数给出文件名）',
      'fileName',
    );
  const sha = req.query.sha256;
  if (sha != null && (typeof sha !== 'string' || !/^[0-9a-f]{64}$/i.test(sha)))
    throw new RouteError(
      400,
      'BAD_USER_INPUT',
      'sha256 must be 64 hex digits',
      'sha256 须为 64 位十六进制数',
      'sha256',
    );
  return { dryRun: dry === 'true', name, expectedSha: typeof sha === 'string' ? sha.toLowerCase() : null };
}

function tooLarge(maxBytes: number): RouteError {
  return new RouteError(
    413,
    'PAYLOAD_TOO_LARGE',
    `the file is larger than the import limit of ${megabytes(maxBytes)} (IMPORT_MAX_MB): split it into smaller files, or ask the administrator to raise the limit`,
    `文件超过导入上限 ${megabytes(maxBytes)}：请拆分为较小的文件，或请管理员调高上限（IMPORT_MAX_MB）`,
    'body',
  );
}

/** A file the pipeline cannot read: what it is not, without the library's detail or any path. */
function unreadable(error: FileFormatError, name: string, path: string | undefined): RouteError {
  const xlsx = formatOf(name) === 'xlsx';
  const detail = path ? error.message.replaceAll(path, name) : error.message;
  return xlsx
    ? new RouteError(
        422,
        'FILE_UNREADABLE',
        `${name} is not a readable XLSX workbook (an .xls, or another file renamed?): save it as .xlsx or .csv and try again`,
        `${name} 不是可读取的 XLSX 工作簿（是否为 .xls 或改了扩展名的其他文件？）：请另存为 .xlsx 或 .csv 后重试`,
        'body',
      )
    : new RouteError(
        422,
        'FILE_UNREADABLE',
        `${name} cannot be read as CSV: ${detail.replace(/^cannot read .*? as CSV: /, '')}`,
        `${name} 无法按 CSV 读取，请检查引号和分隔符`,
        'body',
      );
}

/** A path in a new temporary folder, for a file the server writes itself. */
async function scratchFile(tempRoot: string, name: string) {
  const dir = await mkdtemp(join(tempRoot, 'rrm-template-'));
  return { path: join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}
