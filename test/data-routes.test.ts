// Long on purpose: a specification, one case per route, role and refusal of the data page.
// The data page's HTTP routes (server/src/imports/route.ts), on both backends: templates, dry runs
// and applies over HTTP, rollback, who may do what (policy.ts importRule), CSRF, the size limit,
// hostile file names, unreadable files, and that no uploaded file stays behind on disk.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATASETS, type DatasetSpec, type ImportResult } from '@rrm/db';
import { DEFAULT_IMPORT_MAX_BYTES } from '@rrm/server';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { importFingerprint } from './support/fingerprint.ts';
import {
  giveDemoUsersRealPasswords,
  loginAs,
  REAL_PASSWORD,
  startTestServer,
  type TestServer,
} from './support/http.ts';

/** The upload limit of this file's server: small, so that going over it is cheap. */
const LIMIT = 256 * 1024;
const YEAR_COLUMNS = DATASETS['village-years']!.columns.map((c) => [c.key, c.zh] as const);

interface ErrorBody {
  errors: Array<{ message: string; extensions: { code: string; argument?: string; zh?: string } }>;
}

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(`data routes over HTTP (${backend.name})`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let temp: string;
    const tokens: Record<string, string> = {};
    let village: string;
    let old2021: Record<string, unknown>;

    const yearRow = async (code: string, year: number) => {
      const [row] = await database.rows<Record<string, unknown>>(
        sql`SELECT * FROM village_indicators WHERE village_code = ${code} AND year = ${year}`,
      );
      return row!;
    };
    const yearsCsv = (rows: Array<Record<string, unknown>>) =>
      `${YEAR_COLUMNS.map(([, zh]) => zh).join(',')}\r\n${rows
        .map((r) => YEAR_COLUMNS.map(([key]) => String(r[key] ?? '')).join(','))
        .join('\r\n')}\r\n`;
    const importCount = async () =>
      (await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM imports`))[0]!.n;

    const upload = (
      dataset: string,
      body: BodyInit,
      options: {
        as?: string | null;
        dryRun?: boolean;
        fileName?: string;
        headers?: Record<string, string>;
        query?: string;
        signal?: AbortSignal;
      } = {},
    ) => {
      const params = new URLSearchParams();
      if (options.dryRun !== undefined) params.set('dryRun', String(options.dryRun));
      const as = options.as === undefined ? 'analyst' : options.as;
      return fetch(
        `${server.url}/api/data/imports/${encodeURIComponent(dataset)}?${params}${options.query ?? ''}`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/octet-stream',
            ...(options.fileName !== undefined
              ? { 'x-file-name': encodeURIComponent(options.fileName) }
              : { 'x-file-name': 'village-years.csv' }),
            ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}),
            ...options.headers,
          },
          body,
          signal: options.signal,
          duplex: 'half',
        } as RequestInit,
      );
    };
    const rollback = (dataset: string, as: string | null = 'analyst', headers: Record<string, string> = {}) =>
      fetch(`${server.url}/api/data/imports/${encodeURIComponent(dataset)}/rollback`, {
        method: 'POST',
        headers: { ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}), ...headers },
      });
    const income = async (code: string) => {
      const r = await server.graphql<{ village: { stats: { perCapitaNetIncome: number } } }>(
        'query($c: String!) { village(code: $c) { stats(year: 2021) { perCapitaNetIncome } } }',
        { c: code },
      );
      return r.data!.village.stats.perCapitaNetIncome;
    };
    const changedCsv = (value: number) => yearsCsv([{ ...old2021, per_capita_net_income: value }]);

    beforeAll(async () => {
      database = await openTestDatabase(backend.name);
      // This file imports real data, after which the demo password opens no login.
      await giveDemoUsersRealPasswords(database);
      temp = mkdtempSync(join(tmpdir(), 'rrm-upload-test-'));
      server = await startTestServer(database, { imports: { maxBytes: LIMIT, tempDir: temp } });
      for (const user of ['analyst', 'admin', 'leader', 'supervisor', 'supervisor2'])
        tokens[user] = await loginAs(server, user, REAL_PASSWORD);
      const [v] = await database.rows<{ code: string }>(
        sql`SELECT village_code AS code FROM village_indicators WHERE year = 2021 ORDER BY village_code LIMIT 1`,
      );
      village = v!.code;
      old2021 = await yearRow(village, 2021);
    });

    afterEach(() => {
      // Every answer has been read by now: whatever the request, its upload is gone.
      expect(readdirSync(temp)).toEqual([]);
    });

    afterAll(async () => {
      await server?.close();
      await database?.dispose();
      if (temp) rmSync(temp, { recursive: true, force: true });
    });

    it('serves each template as XLSX and as CSV with the Chinese headers, to anyone', async () => {
      for (const [name, spec] of Object.entries(DATASETS) as Array<[string, DatasetSpec<never>]>) {
        const headers = spec.columns.map((c) => c.zh);
        const xlsx = await fetch(`${server.url}/api/data/templates/${name}?format=xlsx`);
        expect(xlsx.status).toBe(200);
        expect(xlsx.headers.get('content-type')).toBe(
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        );
        const disposition = xlsx.headers.get('content-disposition')!;
        expect(disposition).toMatch(new RegExp(`^attachment; filename="${name}-template\\.xlsx"`));
        expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(`${spec.zh}-导入模板.xlsx`);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
        expect(workbook.worksheets[0]!.name).toBe(spec.sheet);
        expect((workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(headers);
        expect(workbook.worksheets[1]!.name).toBe('说明 (notes)');

        const csv = await fetch(`${server.url}/api/data/templates/${name}?format=csv`);
        expect(csv.status).toBe(200);
        expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        const bytes = Buffer.from(await csv.arrayBuffer());
        expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
        const lines = bytes.toString('utf8').slice(1).split('\r\n');
        expect(lines.find((l) => !l.startsWith('#'))).toBe(headers.join(','));
      }
      // xlsx is the default; a format or dataset that does not exist is named in the refusal.
      const plain = await fetch(`${server.url}/api/data/templates/villages`);
      expect(plain.headers.get('content-disposition')).toContain('villages-template.xlsx');
      const pdf = await fetch(`${server.url}/api/data/templates/villages?format=pdf`);
      expect(pdf.status).toBe(400);
      expect(((await pdf.json()) as ErrorBody).errors[0]!.extensions).toMatchObject({ argument: 'format' });
      for (const name of ['nope', 'constructor', '__proto__', '..%2F..%2Fetc%2Fpasswd']) {
        const unknown = await fetch(`${server.url}/api/data/templates/${name}`);
        expect(unknown.status, name).toBe(400);
        const body = (await unknown.json()) as ErrorBody;
        expect(body.errors[0]!.message).toContain('villages, village-years');
        expect(body.errors[0]!.extensions.argument).toBe('dataset');
      }
    });

    it('refuses anonymous callers (401), leaders and supervisors (403), and lets analysts in', async () => {
      const csv = changedCsv(Number(old2021.per_capita_net_income));
      const before = await importFingerprint(database);
      const imports = await importCount();
      const anonymous = await upload('village-years', csv, { as: null });
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as ErrorBody).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      const badToken = await upload('village-years', csv, { headers: { authorization: 'Bearer nonsense' } });
      expect(badToken.status).toBe(401);
      await badToken.body?.cancel();
      // The ledger and the monitored households: admins, or a supervisor in their region.
      const ledger = ['listings', 'problems', 'households', 'household-measures'];
      // The department registry is the admins' alone.
      const adminOnly = ['departments'];
      for (const as of ['leader', 'supervisor', 'analyst']) {
        for (const dataset of Object.keys(DATASETS)) {
          // A supervisor may import the ledger and households of their region (the next test).
          if (as === 'supervisor' && ledger.includes(dataset)) continue;
          if (as === 'analyst' && !ledger.includes(dataset) && !adminOnly.includes(dataset)) continue;
          for (const dryRun of [true, false]) {
            const refused = await upload(dataset, csv, { as, dryRun });
            expect(refused.status, `${as} ${dataset}`).toBe(403);
            const body = (await refused.json()) as ErrorBody;
            expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
            expect(body.errors[0]!.message).toContain(
              adminOnly.includes(dataset)
                ? 'is for admin;'
                : ledger.includes(dataset)
                  ? 'admin, or a supervisor'
                  : 'admin or analyst',
            );
          }
        }
        const noRollback = await rollback(as === 'analyst' ? 'departments' : 'village-years', as);
        expect(noRollback.status).toBe(403);
        await noRollback.body?.cancel();
      }
      expect((await rollback('village-years', null)).status).toBe(401);
      expect(await importFingerprint(database)).toEqual(before);
      expect(await importCount()).toBe(imports);
      // The API tells supervisors they may import the ledger only, analysts all but the ledger.
      const parts = async (as: string) =>
        (
          await server.graphql<{ dataset: { parts: Array<{ name: string; canImport: boolean }> } }>(
            '{ dataset { parts { name canImport nameZh nameEn } } }',
            {},
            { token: tokens[as] },
          )
        ).data!.dataset.parts;
      const importable = async (as: string) =>
        (await parts(as)).filter((p) => p.canImport).map((p) => p.name);
      expect(await importable('supervisor')).toEqual(ledger);
      expect(await importable('analyst')).toEqual(
        Object.keys(DATASETS).filter((d) => !ledger.includes(d) && !adminOnly.includes(d)),
      );
      expect(await importable('admin')).toEqual(Object.keys(DATASETS));
      const analyst = await upload('village-years', csv, { dryRun: true });
      expect(analyst.status).toBe(200);
      expect(((await analyst.json()) as ImportResult).result).toBe('checked');
    });

    it('dry-runs over HTTP without writing, applies, shows the value in the API, and rolls back', async () => {
      const oldIncome = Number(old2021.per_capita_net_income);
      const newIncome = Math.round(oldIncome) + 4321;
      const csv = changedCsv(newIncome);
      const before = await importFingerprint(database);
      const imports = await importCount();

      const dry = await upload('village-years', csv, { dryRun: true, fileName: '村年度数据.csv' });
      expect(dry.status).toBe(200);
      expect(dry.headers.get('cache-control')).toBe('no-store');
      const checked = (await dry.json()) as ImportResult;
      expect(checked).toMatchObject({
        dataset: 'village-years',
        file: '村年度数据.csv',
        dryRun: true,
        result: 'checked',
        importId: null,
        rows: 1,
        newRows: 0,
        changedRows: 1,
        unchangedRows: 0,
        invalidRows: 0,
        errorCount: 0,
        errors: [],
      });
      expect(checked.examples).toEqual([
        {
          key: `${village} 2021`,
          sheet: '村年度数据.csv',
          row: 2,
          column: '脱贫人口人均纯收入 (per_capita_net_income)',
          old: oldIncome,
          new: newIncome,
        },
      ]);
      expect(await importFingerprint(database)).toEqual(before);
      expect(await importCount()).toBe(imports);

      // The apply must be the checked file: another one is refused before anything is read.
      const other = await upload('village-years', changedCsv(newIncome + 1), {
        dryRun: false,
        query: `&sha256=${checked.sha256}`,
      });
      expect(other.status).toBe(409);
      expect(((await other.json()) as ErrorBody).errors[0]!.extensions.code).toBe('FILE_CHANGED');
      expect(await importFingerprint(database)).toEqual(before);

      const apply = await upload('village-years', csv, {
        dryRun: false,
        fileName: '村年度数据.csv',
        query: `&sha256=${checked.sha256}`,
      });
      expect(apply.status).toBe(200);
      const applied = (await apply.json()) as ImportResult;
      expect(applied).toMatchObject({ result: 'applied', dryRun: false, changedRows: 1, errorCount: 0 });
      expect(applied.importId).toEqual(expect.any(Number));
      expect(await income(village)).toBe(newIncome);
      const history = await server.graphql<{
        imports: Array<{ id: number; fileName: string; who: string; result: string; changedRows: number }>;
      }>(
        '{ imports(dataset: "village-years", first: 1) { id fileName who result changedRows } }',
        {},
        { token: tokens.analyst },
      );
      expect(history.data!.imports[0]).toEqual({
        id: applied.importId,
        fileName: '村年度数据.csv',
        who: 'user:analyst',
        result: 'applied',
        changedRows: 1,
      });

      const undone = await rollback('village-years');
      expect(undone.status).toBe(200);
      expect(await undone.json()).toMatchObject({
        importId: applied.importId,
        dataset: 'village-years',
        restoredRows: 1,
        deletedRows: 0,
      });
      expect(await income(village)).toBe(oldIncome);
      const { dataset: _a, import_changes: _b, ...restored } = await importFingerprint(database);
      const { dataset: _c, import_changes: _d, ...original } = before;
      expect(restored).toEqual(original);
      // Nothing left to roll back: a conflict with the data's state, named.
      const again = await rollback('village-years');
      expect(again.status).toBe(409);
      expect(((await again.json()) as ErrorBody).errors[0]!.message).toContain('no applied import');
    });

    it('answers 422 with the errors, in Chinese and English, when the file has errors; nothing is written', async () => {
      const before = await importFingerprint(database);
      for (const dryRun of [true, false]) {
        const response = await upload('village-years', yearsCsv([{ ...old2021, population: -5 }]), {
          dryRun,
        });
        expect(response.status).toBe(422);
        const result = (await response.json()) as ImportResult;
        expect(result).toMatchObject({
          result: dryRun ? 'checked' : 'rejected',
          errorCount: 1,
          invalidRows: 1,
        });
        expect(result.errors[0]).toEqual({
          sheet: 'village-years.csv',
          row: 2,
          column: '户籍人口',
          zh: '户籍人口不能为负数：-5',
          en: 'population must not be negative: -5',
        });
      }
      expect(await importFingerprint(database)).toEqual(before);
    });

    it('refuses a body over the limit with 413 and a clear message, declared or streamed', async () => {
      expect(DEFAULT_IMPORT_MAX_BYTES).toBe(200 * 1024 * 1024);
      const imports = await importCount();
      const declared = await upload('village-years', Buffer.alloc(LIMIT + 1, 0x41), { dryRun: true });
      expect(declared.status).toBe(413);
      const body = (await declared.json()) as ErrorBody;
      expect(body.errors[0]!.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', argument: 'body' });
      expect(body.errors[0]!.message).toContain('larger than the import limit of 0.3 MB');
      expect(body.errors[0]!.extensions.zh).toContain('文件超过导入上限');
      // Without a length (chunked): cut off while streaming to disk.
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > LIMIT * 3) return controller.close();
          sent += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024).fill(0x42));
        },
      });
      const streamed = await upload('village-years', stream as never, { dryRun: true });
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as ErrorBody).errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await importCount()).toBe(imports);
      // The server still answers on (the body was read to its end and dropped).
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });

    it('refuses an unknown dataset with 400 naming the valid ones', async () => {
      for (const name of ['nope', 'constructor', '../../etc/passwd']) {
        // Sent encoded (..%2F..%2Fetc%2Fpasswd): one path segment, the dataset parameter.
        const response = await upload(name, 'x');
        expect(response.status, name).toBe(400);
        const body = (await response.json()) as ErrorBody;
        expect(body.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'dataset' });
        expect(body.errors[0]!.message).toBe(
          `unknown dataset "${name}": use one of ${Object.keys(DATASETS).join(', ')}`,
        );
      }
    });

    it('stores a hostile file name sanitised: no path, no control characters, bounded length', async () => {
      // 10 KB, most of it ASCII so that, percent-encoded, it fits the 16 KB of headers Node allows.
      const hostile = `../../etc/passwd\u0000\r\n\u202e${'名'.repeat(100)}${'a'.repeat(10_000)}\u0007.csv`;
      expect(Buffer.byteLength(hostile)).toBeGreaterThan(10_000);
      const csv = changedCsv(Number(old2021.per_capita_net_income));
      for (const how of ['header', 'query'] as const) {
        const response =
          how === 'header'
            ? await upload('village-years', csv, { dryRun: false, fileName: hostile })
            : await upload('village-years', csv, {
                dryRun: false,
                headers: { 'x-file-name': '' },
                query: `&fileName=${encodeURIComponent(hostile)}`,
              });
        const text = await response.text();
        expect(response.status, text.slice(0, 300)).toBe(200);
        const result = JSON.parse(text) as ImportResult;
        const [stored] = await database.rows<{ file_name: string }>(
          sql`SELECT file_name FROM imports WHERE id = ${result.importId}`,
        );
        const name = stored!.file_name;
        expect(name).toBe(result.file);
        expect([...name].filter((c) => c < ' ' || c === '\u007f' || c === '\u202e' || c === '/')).toEqual([]);
        expect(name.startsWith('.')).toBe(false);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
        expect(name).toMatch(/^passwd名+…\.csv$/);
      }
      // Names that are nothing once cleaned, or not a spreadsheet, are refused before the body is read.
      for (const fileName of ['../../etc/passwd', '\u0000\u0001', '....', 'report.exe', 'a.xls']) {
        const response = await upload('village-years', csv, { fileName });
        expect(response.status, fileName).toBe(400);
        expect(((await response.json()) as ErrorBody).errors[0]!.extensions.argument).toBe('fileName');
      }
      // Without a name, the content type says the format.
      const unnamed = await fetch(`${server.url}/api/data/imports/village-years?dryRun=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.analyst}`, 'content-type': 'text/csv' },
        body: csv,
      });
      expect(unnamed.status).toBe(200);
      expect(((await unnamed.json()) as ImportResult).file).toBe('upload.csv');
    });

    it('answers a body that is not a workbook, named .xlsx, with 422 and a clear error, not 500', async () => {
      const imports = await importCount();
      for (const body of ['this is not a zip file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5])]) {
        const response = await upload('villages', body, { fileName: '村.xlsx', dryRun: false });
        expect(response.status).toBe(422);
        const error = ((await response.json()) as ErrorBody).errors[0]!;
        expect(error.extensions.code).toBe('FILE_UNREADABLE');
        expect(error.message).toBe(
          '村.xlsx is not a readable XLSX workbook (an .xls, or another file renamed?): save it as .xlsx or .csv and try again',
        );
        expect(error.message).not.toContain(temp);
      }
      // An empty body and a form upload are usage errors.
      const empty = await upload('villages', '', { fileName: 'a.csv' });
      expect(empty.status).toBe(400);
      await empty.body?.cancel();
      const form = new FormData();
      form.set('file', new Blob(['x']), 'a.csv');
      const multipart = await fetch(`${server.url}/api/data/imports/villages?fileName=a.csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.analyst}` },
        body: form,
      });
      expect(multipart.status).toBe(415);
      await multipart.body?.cancel();
      const dryRun = await upload('villages', 'x', { query: '&dryRun=maybe' });
      expect(dryRun.status).toBe(400);
      expect(((await dryRun.json()) as ErrorBody).errors[0]!.extensions.argument).toBe('dryRun');
      expect(await importCount()).toBe(imports);
    });

    it('needs X-Requested-With on a POST logged in with the session cookie (CSRF), not with a Bearer token', async () => {
      const csv = changedCsv(Number(old2021.per_capita_net_income));
      const cookie = `rrm_session=${tokens.analyst}`;
      const forged = await upload('village-years', csv, { as: null, headers: { cookie } });
      expect(forged.status).toBe(403);
      expect(((await forged.json()) as ErrorBody).errors[0]!.extensions.code).toBe('CSRF_PREVENTED');
      const forgedRollback = await rollback('village-years', null, { cookie });
      expect(forgedRollback.status).toBe(403);
      await forgedRollback.body?.cancel();
      for (const header of ['x-requested-with', 'apollo-require-preflight']) {
        const page = await upload('village-years', csv, { as: null, headers: { cookie, [header]: '1' } });
        expect(page.status, header).toBe(200);
        await page.body?.cancel();
      }
    });

    it('removes the upload when the client goes away in the middle of it', async () => {
      const abort = new AbortController();
      let chunks = 0;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (chunks++ < 2) controller.enqueue(new Uint8Array(1024).fill(0x43));
          else await new Promise((resolve) => setTimeout(resolve, 5_000));
        },
      });
      const pending = upload('village-years', stream as never, { dryRun: true, signal: abort.signal }).catch(
        () => null,
      );
      await expect.poll(() => readdirSync(temp).length, { timeout: 5_000 }).toBe(1);
      abort.abort();
      await expect.poll(() => readdirSync(temp).length, { timeout: 10_000 }).toBe(0);
      await pending;
    });

    it('answers a third concurrent import with 429 and a clear message, and takes the next once one ends', async () => {
      // Two dry runs whose bodies stop after their first bytes: each holds an import slot until
      // its body ends (the server takes the slot before it reads the body).
      const csv = new TextEncoder().encode(changedCsv(4321));
      const held = [0, 1].map(() => {
        let finish!: () => void;
        const finished = new Promise<void>((resolve) => {
          finish = resolve;
        });
        let sent = false;
        const stream = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (!sent) {
              sent = true;
              controller.enqueue(csv.slice(0, 10));
              return;
            }
            await finished;
            controller.enqueue(csv.slice(10));
            controller.close();
          },
        });
        return { finish, answer: upload('village-years', stream as never, { dryRun: true }) };
      });
      // Both uploads have their folder: both slots are taken.
      await expect.poll(() => readdirSync(temp).length, { timeout: 10_000 }).toBe(2);
      const before = await importCount();
      const third = await upload('village-years', changedCsv(4321), { dryRun: true });
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('10');
      expect(((await third.json()) as ErrorBody).errors).toEqual([
        {
          message: '2 imports are running on this server; try again in a moment',
          extensions: { code: 'TOO_MANY_IMPORTS', zh: '服务器正在处理其他导入，请稍后再试' },
        },
      ]);
      expect(await importCount()).toBe(before);
      for (const h of held) h.finish();
      for (const h of held) {
        const answer = await h.answer;
        expect(answer.status).toBe(200);
        expect(await answer.json()).toMatchObject({ result: 'checked', rows: 1, errorCount: 0 });
      }
      // The slots are free again.
      const next = await upload('village-years', changedCsv(4321), { dryRun: true });
      expect(next.status).toBe(200);
      expect(await next.json()).toMatchObject({ result: 'checked', rows: 1 });
    });

    it('gives up an upload that stalls, frees its slot and answers 408', async () => {
      // A second server on the same database with a short idle time, so the test need not wait 60 s
      // (2 s, not less: the two whole uploads below must not look idle on a busy machine).
      const stallTemp = mkdtempSync(join(tmpdir(), 'rrm-upload-stall-'));
      const impatient = await startTestServer(database, { imports: { tempDir: stallTemp, idleMs: 2_000 } });
      try {
        const post = (body: BodyInit, signal?: AbortSignal) =>
          fetch(`${impatient.url}/api/data/imports/village-years?dryRun=true`, {
            signal,
            method: 'POST',
            headers: {
              'content-type': 'application/octet-stream',
              'x-file-name': 'village-years.csv',
              authorization: `Bearer ${tokens.analyst}`,
            },
            body,
            duplex: 'half',
          } as RequestInit);
        let sent = false;
        const stalled = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (!sent) {
              sent = true;
              controller.enqueue(new TextEncoder().encode('village_code,'));
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, 30_000));
          },
        });
        const before = await importCount();
        // The client still holds its body open: it is cut once the answer is in.
        const client = new AbortController();
        const answer = await post(stalled as never, client.signal);
        expect(answer.status).toBe(408);
        const body = (await answer.json()) as ErrorBody;
        client.abort();
        expect(body.errors[0]).toMatchObject({
          message: 'no part of the file arrived for 2 s: the upload was given up; send it again',
          extensions: { code: 'UPLOAD_STALLED' },
        });
        expect(readdirSync(stallTemp)).toEqual([]);
        expect(await importCount()).toBe(before);
        // Its slot is free: two more uploads at once are both taken.
        const next = await Promise.all([post(changedCsv(4321)), post(changedCsv(4322))]);
        expect(next.map((r) => r.status)).toEqual([200, 200]);
        for (const r of next) await r.body?.cancel();
      } finally {
        await impatient.close();
        rmSync(stallTemp, { recursive: true, force: true });
      }
    });

    it('gives up an upload that trickles in under the idle time, and answers 408', async () => {
      // Ten bytes every 100 ms never looks idle, but averages 100 bytes/s: below this server's
      // 1,000 bytes/s once the upload has run 300 ms.
      const slowTemp = mkdtempSync(join(tmpdir(), 'rrm-upload-slow-'));
      const strict = await startTestServer(database, {
        imports: { tempDir: slowTemp, idleMs: 5_000, minRate: { bytesPerSecond: 1_000, afterMs: 300 } },
      });
      try {
        let chunks = 0;
        const trickle = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (chunks++ > 0) await new Promise((resolve) => setTimeout(resolve, 100));
            if (chunks > 100) return controller.close();
            controller.enqueue(new TextEncoder().encode('0123456789'));
          },
        });
        const before = await importCount();
        const client = new AbortController();
        const answer = await fetch(`${strict.url}/api/data/imports/village-years?dryRun=true`, {
          signal: client.signal,
          method: 'POST',
          headers: {
            'content-type': 'application/octet-stream',
            'x-file-name': 'village-years.csv',
            authorization: `Bearer ${tokens.analyst}`,
          },
          body: trickle,
          duplex: 'half',
        } as RequestInit);
        expect(answer.status).toBe(408);
        const body = (await answer.json()) as ErrorBody;
        client.abort();
        expect(body.errors[0]!.extensions.code).toBe('UPLOAD_TOO_SLOW');
        expect(body.errors[0]!.message).toMatch(
          /^the file arrived at \d+ bytes\/s, below the 1000 bytes\/s this server needs once an upload has run 0.3 s/,
        );
        expect(chunks).toBeLessThan(100);
        expect(readdirSync(slowTemp)).toEqual([]);
        expect(await importCount()).toBe(before);
      } finally {
        await strict.close();
        rmSync(slowTemp, { recursive: true, force: true });
      }
    });

    it('limits a supervisor’s ledger import to their region, and keeps analysts out of the ledger', async () => {
      // supervisor2's region leaves some of the tiny data's counties outside it.
      const [{ scope } = { scope: '' }] = await database.rows<{ scope: string }>(
        sql`SELECT region_scope AS scope FROM users WHERE username = 'supervisor2'`,
      );
      const county = async (inside: boolean) =>
        (
          await database.rows<{ code: string }>(
            sql`SELECT code FROM regions WHERE level = 'county'
              AND (code LIKE ${`${scope}%`}) = ${inside} ORDER BY code LIMIT 1`,
          )
        )[0]!.code;
      const ledgerCsv = (code: string) =>
        `县代码,问题类别,问题描述,责任单位,发现日期,整改时限,整改状态\n${code},住房安全,1 户危房,住建,2024-03-05,2024-06-30,待整改\n`;
      const inside = await county(true);
      const outside = await county(false);
      const own = await upload('problems', ledgerCsv(inside), { as: 'supervisor2', dryRun: true });
      expect(own.status).toBe(200);
      expect(await own.json()).toMatchObject({ result: 'checked', errorCount: 0, newRows: 1 });
      const foreign = await upload('problems', ledgerCsv(outside), { as: 'supervisor2' });
      expect(foreign.status).toBe(422);
      const result = (await foreign.json()) as ImportResult;
      expect(result.errors[0]!.en).toBe(`lies outside your region (${scope}): ${outside}`);
      // Rolling back stays with admins; analysts do not write the ledger.
      expect((await rollback('problems', 'supervisor2')).status).toBe(403);
      const analyst = await upload('problems', ledgerCsv(inside), { as: 'analyst', dryRun: true });
      expect(analyst.status).toBe(403);
      await analyst.body?.cancel();
    });
  });
}
