// Evidence (佐证材料, #16), on both backends: uploads typed from their bytes (a renamed executable,
// a photo named .pdf, a damaged image and an oversized file are refused by name), stored once by
// SHA-256 in the database, attached by the uploader only, alone or with the rectification in its
// transaction, in the history and the audit log; served with its thumbnail to whoever reads the
// problem and to no other department; unused uploads cleaned up.
import { readFileSync } from 'node:fs';
import { deleteUnusedEvidence } from '@rrm/db';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { errorCode, graphqlClient, loginAs, startTestServer, type TestServer } from './support/http.ts';

/** Real files of each kind evidence may be, made here. */
async function fixtures() {
  const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a7' } })
    .png()
    .toBuffer();
  const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#c33' } })
    .jpeg()
    .toBuffer();
  const pdf = Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('整改').addRow(['问题', '整改措施']);
  const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file('word/document.xml', '<?xml version="1.0"?><w:document/>');
  const docx = await zip.generateAsync({ type: 'nodebuffer' });
  // An executable, as a Windows one starts (MZ, then a PE header), and this machine's own.
  const elf = readFileSync(process.execPath).subarray(0, 4096);
  return { png, jpeg, pdf, xlsx, docx, elf };
}

interface Evidence {
  id: number;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  attachedBy: string;
  url: string;
  thumbnailUrl: string | null;
}
const EVIDENCE = 'evidence { id fileName mediaType size sha256 attachedBy url thumbnailUrl }';

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `evidence on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      let files: Awaited<ReturnType<typeof fixtures>>;
      const tokens: Record<string, string> = {};
      const { gql, ok } = graphqlClient(() => server);
      /** A problem of the demo department user's department, and one of another department. */
      let problem: { id: number; version: number };
      let otherDepartmentToken: string;

      const upload = (
        body: Buffer,
        name: string | null,
        as: string | null,
        headers: Record<string, string> = {},
      ) =>
        fetch(`${server.url}/api/evidence`, {
          method: 'POST',
          headers: {
            'content-type': 'application/octet-stream',
            ...(name !== null ? { 'x-file-name': encodeURIComponent(name) } : {}),
            ...(as ? { authorization: `Bearer ${as}` } : {}),
            ...headers,
          },
          body: new Uint8Array(body),
        });
      const uploaded = async (body: Buffer, name: string, as = tokens.department!) => {
        const response = await upload(body, name, as);
        const json = (await response.json()) as { sha256: string; fileName: string; mediaType: string };
        expect(response.status, JSON.stringify(json)).toBe(201);
        return json;
      };
      const refusal = async (response: Response) => {
        const json = (await response.json()) as {
          errors: { extensions: { code: string; argument?: string } }[];
        };
        return { status: response.status, ...json.errors[0]!.extensions };
      };
      const current = async (id: number) =>
        (
          await ok<{ problem: { version: number; status: string } & { evidence: Evidence[] } }>(
            `query($id: Int!) { problem(id: $id) { version status ${EVIDENCE} } }`,
            { id },
            tokens.department,
          )
        ).problem;
      const count = async (table: string) =>
        Number(
          (
            await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`)
          )[0]!.n,
        );

      beforeAll(async () => {
        files = await fixtures();
        database = await openTestDatabase(backend.name);
        server = await startTestServer(database, { evidence: { maxBytes: 512 * 1024 } });
        for (const name of ['department', 'supervisor', 'supervisor2', 'admin', 'leader'])
          tokens[name] = await loginAs(server, name);
        const [mine] = await database.rows<{ id: number; countyCode: string }>(sql`
          SELECT d.id, d.county_code AS "countyCode" FROM users u JOIN departments d ON d.id = u.department_id
          WHERE u.username = 'department'`);
        const reported = await ok<{ reportProblem: { id: number; version: number } }>(
          `mutation($c: String!, $d: Int!) { reportProblem(input: { countyCode: $c, departmentId: $d, category: HOUSING_SAFETY,
             description: "佐证材料测试", foundOn: "2026-10-01", deadline: "2026-12-31" }) { id version } }`,
          { c: mine!.countyCode, d: mine!.id },
          tokens.supervisor,
        );
        problem = { id: Number(reported.reportProblem.id), version: reported.reportProblem.version };
        // A user of another department of the same county.
        const other = await ok<{ createDepartment: { id: number } }>(
          'mutation($c: String!) { createDepartment(countyCode: $c, input: { name: "佐证测试局", kind: OTHER }) { id } }',
          { c: mine!.countyCode },
          tokens.admin,
        );
        await ok(
          'mutation($d: Int!) { createUser(username: "evidence.other", displayName: "他局", role: DEPARTMENT, departmentId: $d, password: "other-dept-password") { id } }',
          { d: other.createDepartment.id },
          tokens.admin,
        );
        const login = await ok<{ login: { token: string } }>(
          'mutation { login(username: "evidence.other", password: "other-dept-password") { token } }',
        );
        otherDepartmentToken = login.login.token;
        // A supervisor of another region (Beijing), whatever the demo data covers.
        await ok(
          'mutation { createUser(username: "evidence.beijing", displayName: "北京督战", role: SUPERVISOR, regionScope: "11", password: "beijing-password") { id } }',
          {},
          tokens.admin,
        );
        tokens.beijing = (
          await ok<{ login: { token: string } }>(
            'mutation { login(username: "evidence.beijing", password: "beijing-password") { token } }',
          )
        ).login.token;
      }, 60_000);

      afterAll(async () => {
        await server?.close();
        await database?.dispose();
      });

      it('takes photos and documents, typed from their bytes, and stores each content once', async () => {
        const png = await uploaded(files.png, '现场照片.png');
        expect(png).toMatchObject({ mediaType: 'image/png', fileName: '现场照片.png' });
        expect((await uploaded(files.jpeg, 'after.JPG')).mediaType).toBe('image/jpeg');
        expect((await uploaded(files.pdf, '验收单.pdf')).mediaType).toBe('application/pdf');
        expect((await uploaded(files.xlsx, '台账.xlsx')).mediaType).toMatch(/spreadsheetml/);
        expect((await uploaded(files.docx, '说明.docx')).mediaType).toMatch(/wordprocessingml/);
        // A name without an extension gets its type's.
        expect((await uploaded(files.pdf, 'scan')).fileName).toBe('scan.pdf');
        // The same photo from the supervisor: one stored content, two uploads.
        const before = await count('evidence_files');
        expect((await uploaded(files.png, 'copy.png', tokens.supervisor)).sha256).toBe(png.sha256);
        expect(await count('evidence_files')).toBe(before);
      });

      it('refuses a renamed executable, a photo named .pdf, a damaged image, an oversized file, by name', async () => {
        const before = await count('evidence_files');
        const elf = await refusal(await upload(files.elf, 'photo.jpg', tokens.department!));
        expect(elf).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', argument: 'body' });
        const pe = Buffer.concat([
          Buffer.from('MZ'),
          Buffer.alloc(58),
          Buffer.from([0x80, 0, 0, 0]),
          Buffer.alloc(64),
          Buffer.from('PE\0\0'),
          Buffer.alloc(512),
        ]);
        expect(await refusal(await upload(pe, '整改照片.png', tokens.department!))).toMatchObject({
          status: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
        });
        expect(await refusal(await upload(files.png, 'report.pdf', tokens.department!))).toMatchObject({
          status: 415,
          argument: 'fileName',
        });
        expect(
          await refusal(await upload(files.png.subarray(0, 200), 'cut.png', tokens.department!)),
        ).toMatchObject({
          status: 422,
          code: 'UNREADABLE_IMAGE',
        });
        expect(
          await refusal(await upload(Buffer.alloc(600 * 1024, 0x25), 'big.pdf', tokens.department!)),
        ).toMatchObject({
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
        });
        expect(await refusal(await upload(Buffer.alloc(0), 'empty.png', tokens.department!))).toMatchObject({
          status: 400,
          argument: 'body',
        });
        expect(await refusal(await upload(files.png, null, tokens.department!))).toMatchObject({
          status: 400,
          argument: 'fileName',
        });
        expect(await refusal(await upload(files.png, '../../', tokens.department!))).toMatchObject({
          argument: 'fileName',
        });
        // Who may upload: not leaders, not anonymous callers, not a cookie without the script header.
        expect((await upload(files.png, 'x.png', tokens.leader!)).status).toBe(403);
        expect((await upload(files.png, 'x.png', null)).status).toBe(401);
        const cookie = await upload(files.png, 'x.png', null, { cookie: `rrm_session=${tokens.department}` });
        expect(await refusal(cookie)).toMatchObject({ status: 403, code: 'CSRF_PREVENTED' });
        expect(await count('evidence_files')).toBe(before);
      });

      it('attaches the uploader’s own files, refusing others’, twice the same, and malformed hashes', async () => {
        const photo = await uploaded(files.png, '现场照片.png');
        const supervisors = await uploaded(files.jpeg, 'supervisor-only.jpg', tokens.supervisor);
        // The JPEG was uploaded by the department above too; make one only the supervisor has.
        const only = await uploaded(
          await sharp({ create: { width: 20, height: 20, channels: 3, background: '#123' } })
            .png()
            .toBuffer(),
          'only-supervisor.png',
          tokens.supervisor,
        );
        const attach = (sha256s: string[], version: number, token = tokens.department) =>
          gql<{ attachEvidence: { version: number } }>(
            `mutation($id: Int!, $v: Int!, $e: [EvidenceInput!]!) { attachEvidence(id: $id, expectedVersion: $v, evidence: $e, note: "整改后照片") { version ${EVIDENCE} } }`,
            { id: problem.id, v: version, e: sha256s.map((sha256) => ({ sha256 })) },
            token,
          );
        const before = await count('problem_evidence');
        const refused = async (shas: string[], argument: string) => {
          const result = await attach(shas, (await current(problem.id)).version);
          expect(errorCode(result), argument).toBe('BAD_USER_INPUT');
          expect(result.errors?.[0]?.extensions?.argument).toBe(argument);
        };
        await refused([only.sha256], 'evidence[0].sha256');
        await refused(['0'.repeat(63)], 'evidence[0].sha256');
        await refused(['G'.repeat(64)], 'evidence[0].sha256');
        await refused(
          Array.from({ length: 11 }, () => photo.sha256),
          'evidence',
        );
        // The whole write is refused when one item is: nothing attached.
        await refused([photo.sha256, only.sha256], 'evidence[1].sha256');
        expect(await count('problem_evidence')).toBe(before);
        // Another department's user cannot touch the problem at all; nor can readers, a supervisor
        // of another region (with a file of their own), or an anonymous caller.
        const version = (await current(problem.id)).version;
        expect(errorCode(await attach([photo.sha256], version, otherDepartmentToken))).toBe('NOT_FOUND');
        const elsewhere = await uploaded(files.png, 'elsewhere.png', tokens.beijing);
        expect(errorCode(await attach([elsewhere.sha256], version, tokens.beijing))).toBe('FORBIDDEN');
        expect(errorCode(await attach([photo.sha256], version, tokens.leader))).toBe('FORBIDDEN');
        expect(errorCode(await attach([photo.sha256], version, ''))).toBe('UNAUTHENTICATED');
        expect(await count('problem_evidence')).toBe(before);
        const attached = await attach([photo.sha256], (await current(problem.id)).version);
        expect(attached.errors).toBeUndefined();
        await refused([photo.sha256], 'evidence[0].sha256');
        expect(supervisors.sha256).toMatch(/^[0-9a-f]{64}$/);
        const now = await current(problem.id);
        expect(now.evidence).toHaveLength(1);
        expect(now.evidence[0]).toMatchObject({
          fileName: '现场照片.png',
          mediaType: 'image/png',
          size: files.png.byteLength,
          attachedBy: 'department',
          sha256: photo.sha256,
        });
        const history = await ok<{
          problem: {
            history: { action: string; note: string | null; changes: { field: string; to: string }[] }[];
          };
        }>(
          'query($id: Int!) { problem(id: $id) { history { action note changes { field to } } } }',
          { id: problem.id },
          tokens.department,
        );
        expect(history.problem.history.at(-1)).toEqual({
          action: 'evidence',
          note: '整改后照片',
          changes: [{ field: 'evidence', to: '现场照片.png' }],
        });
        const [audit] = await database.rows<{ username: string }>(
          sql`SELECT username FROM audit_log WHERE action = 'problem.evidence' AND target_id = ${String(problem.id)}`,
        );
        expect(audit?.username).toBe('department');
      });

      it('attaches evidence with the rectification, in the same write', async () => {
        const sheet = await uploaded(files.pdf, '验收单.pdf');
        let version = (await current(problem.id)).version;
        await ok(
          'mutation($id: Int!, $v: Int!) { signProblem(id: $id, expectedVersion: $v) { id } }',
          { id: problem.id, v: version },
          tokens.department,
        );
        version = (await current(problem.id)).version;
        const done = await ok<{ submitRectification: { status: string; evidence: Evidence[] } }>(
          `mutation($id: Int!, $v: Int!, $e: [EvidenceInput!]) { submitRectification(id: $id, expectedVersion: $v, measures: "已维修加固", evidence: $e) { status ${EVIDENCE} } }`,
          { id: problem.id, v: version, e: [{ sha256: sheet.sha256 }] },
          tokens.department,
        );
        expect(done.submitRectification.status).toBe('RECTIFIED');
        expect(done.submitRectification.evidence.map((e) => e.fileName)).toEqual([
          '现场照片.png',
          '验收单.pdf',
        ]);
        const [entry] = await database.rows<{ changes: { evidence?: { to: string } } }>(sql`
          SELECT changes FROM supervision_problem_history WHERE problem_id = ${problem.id} AND action = 'rectified'`);
        expect(entry!.changes.evidence?.to).toBe('验收单.pdf');
      });

      it('serves a file and its thumbnail to whoever reads the problem, and to no other department', async () => {
        const [photo, sheet] = (await current(problem.id)).evidence;
        const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
          fetch(`${server.url}${path}`, {
            headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
          });
        const full = await get(photo!.url, tokens.department);
        expect(full.status).toBe(200);
        expect(full.headers.get('content-type')).toBe('image/png');
        expect(full.headers.get('x-content-type-options')).toBe('nosniff');
        expect(full.headers.get('content-security-policy')).toContain('sandbox');
        expect(Buffer.from(await full.arrayBuffer()).equals(files.png)).toBe(true);
        const thumbnail = await get(photo!.thumbnailUrl!, tokens.supervisor2);
        expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
        const size = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
        expect([size.width, size.height]).toEqual([320, 213]);
        expect(sheet!.thumbnailUrl).toBeNull();
        const pdf = await get(sheet!.url, tokens.leader);
        expect(pdf.headers.get('content-disposition')).toBe(
          `attachment; filename*=UTF-8''${encodeURIComponent('验收单.pdf')}`,
        );
        expect(Buffer.from(await pdf.arrayBuffer()).equals(files.pdf)).toBe(true);
        // Not modified: the ETag is the content's hash.
        expect(
          (await get(photo!.url, tokens.department, { 'if-none-match': `"${photo!.sha256}"` })).status,
        ).toBe(304);
        // Another department, an anonymous caller, a bad number, a missing one.
        expect(await refusal(await get(photo!.url, otherDepartmentToken))).toMatchObject({
          status: 404,
          code: 'NOT_FOUND',
        });
        expect((await get(photo!.url)).status).toBe(401);
        expect(await refusal(await get('/api/evidence/1e3', tokens.admin))).toMatchObject({
          status: 400,
          argument: 'id',
        });
        expect((await get('/api/evidence/999999', tokens.admin)).status).toBe(404);
        expect((await get(`${sheet!.url}/thumbnail`, tokens.admin)).status).toBe(404);
      });

      it('bounds what one account holds in uploads no problem uses', async () => {
        // One upload of the Beijing supervisor's own that no problem uses, on a server whose bound is one.
        await uploaded(
          await sharp({ create: { width: 16, height: 16, channels: 3, background: '#b00' } })
            .png()
            .toBuffer(),
          'unused.png',
          tokens.beijing,
        );
        const strict = await startTestServer(database, {
          evidence: { unattachedLimit: { files: 1, bytes: 1e9 } },
        });
        try {
          const response = await fetch(`${strict.url}/api/evidence`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens.beijing}`, 'x-file-name': 'more.jpg' },
            body: new Uint8Array(files.jpeg),
          });
          expect(await refusal(response)).toMatchObject({ status: 429, code: 'UPLOAD_QUOTA' });
          // Another account is not held to it.
          const other = await fetch(`${strict.url}/api/evidence`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens.admin}`, 'x-file-name': 'admin.jpg' },
            body: new Uint8Array(files.jpeg),
          });
          expect(other.status).toBe(201);
        } finally {
          await strict.close();
        }
      });

      it('deletes uploads no problem uses once they are old, and keeps attached ones', async () => {
        const stray = await uploaded(
          await sharp({ create: { width: 8, height: 8, channels: 3, background: '#999' } })
            .png()
            .toBuffer(),
          'stray.png',
        );
        const attached = (await current(problem.id)).evidence.map((e) => e.sha256);
        // Everything counts as old with a zero age.
        const deleted = await deleteUnusedEvidence(database.db, 0);
        expect(deleted).toBeGreaterThan(0);
        const left = (await database.rows<{ sha256: string }>(sql`SELECT sha256 FROM evidence_files`)).map(
          (r) => r.sha256,
        );
        expect(left.sort()).toEqual([...attached].sort());
        expect(left).not.toContain(stray.sha256);
        // A deleted upload cannot be attached: it must be sent again.
        const result = await gql(
          'mutation($id: Int!, $v: Int!, $s: String!) { attachEvidence(id: $id, expectedVersion: $v, evidence: [{ sha256: $s }]) { id } }',
          { id: problem.id, v: (await current(problem.id)).version, s: stray.sha256 },
          tokens.department,
        );
        expect(result.errors?.[0]?.message).toMatch(/upload the file first/);
      });
    },
  );
}
