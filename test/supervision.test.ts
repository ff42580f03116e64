// Long on purpose: a specification, the full authorization matrix and every workflow move.
// 挂牌督战 supervision on both backends: login and tokens, who may read and write what (the full
// authorization matrix, with the database unchanged wherever a write is refused), the problem
// workflow with every legal and illegal move, history, conflicts, atomicity and idempotency.

import { VectorTile } from '@mapbox/vector-tile';
import { PROBLEM_TRANSITIONS, type ProblemStatus } from '@rrm/db';
import { DEMO_PASSWORD } from '@rrm/db/seed';
import { signToken } from '@rrm/schema';
import { sql } from 'drizzle-orm';
import Pbf from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tileOf } from '../scripts/support/tile-math.ts';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { databaseFingerprint, SUPERVISION_PARTS } from './support/fingerprint.ts';
import { errorCode, graphqlClient, startTestServer, type TestServer } from './support/http.ts';

/**
 * The statuses a supervisor moves a problem between (the sign-off, `signed`, is the department's
 * own move: see test/departments.test.ts).
 */
type SupervisorStatus = Exclude<ProblemStatus, 'signed'>;
const STATUSES: SupervisorStatus[] = ['open', 'in_progress', 'rectified', 'closed'];
/** A legal path from a new (open) problem to each status, with the note each move needs. */
const PATH_TO: Record<SupervisorStatus, SupervisorStatus[]> = {
  open: [],
  in_progress: ['in_progress'],
  rectified: ['in_progress', 'rectified'],
  closed: ['in_progress', 'rectified', 'closed'],
};

const PROBLEM_FIELDS =
  'id version status department deadline closedOn history { action fromStatus toStatus changedBy note }';

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `supervision on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      const tokens: Record<string, string> = {};
      let scopes: Record<string, string>;
      /** A listing inside `supervisor`'s scope and outside `supervisor2`'s. */
      let target: { listingId: number; countyCode: string; villageCode: string | null };

      const { gql, ok } = graphqlClient(() => server);
      const codeOf = errorCode;

      /** Everything a supervision write could touch: equal fingerprints = nothing changed. */
      const fingerprint = () => databaseFingerprint(database, SUPERVISION_PARTS);

      const newProblem = async (token = tokens.supervisor!, overrides: Record<string, unknown> = {}) =>
        (
          await ok<{ reportProblem: { id: string; version: number } }>(
            `mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id version } }`,
            {
              input: {
                countyCode: target.countyCode,
                villageCode: target.villageCode,
                listingId: target.listingId,
                category: 'HOUSING_SAFETY',
                department: '住建局',
                measures: '实施危房改造，竣工验收后入住',
                description: '危房改造未完成',
                foundOn: '2026-10-01',
                deadline: '2026-12-31',
                ...overrides,
              },
            },
            token,
          )
        ).reportProblem;

      /**
       * Moves a problem as a supervisor would; a close is made by the admin, since whoever marked a
       * problem rectified may not also verify it.
       */
      const move = (
        id: string | number,
        expectedVersion: number,
        status: string,
        note?: string,
        token = status === 'closed' ? tokens.admin! : tokens.supervisor!,
      ) =>
        gql<{ updateProblemStatus: { version: number; status: string } }>(
          `mutation($id: Int!, $v: Int!, $s: ProblemStatus!, $note: String) {
            updateProblemStatus(id: $id, expectedVersion: $v, status: $s, note: $note) { ${PROBLEM_FIELDS} } }`,
          { id: Number(id), v: expectedVersion, s: status.toUpperCase(), note },
          token,
        );

      beforeAll(async () => {
        database = await openTestDatabase(backend.name);
        server = await startTestServer(database);
        for (const username of ['leader', 'analyst', 'supervisor', 'supervisor2', 'admin']) {
          const login = await ok<{
            login: { token: string; user: { role: string; regionScope: string | null } };
          }>(
            'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt user { role regionScope } } }',
            { u: username, p: DEMO_PASSWORD },
          );
          tokens[username] = login.login.token;
        }
        const users = await ok<{ users: { username: string; regionScope: string | null }[] }>(
          '{ users { username regionScope } }',
          {},
          tokens.admin,
        );
        scopes = Object.fromEntries(
          users.users.filter((u) => u.regionScope).map((u) => [u.username, u.regionScope!]),
        );
        const [row] = await database.rows<{ id: number; county: string; village: string | null }>(sql`
          SELECT id, county_code AS county, village_code AS village FROM supervision_listings
          WHERE county_code LIKE ${`${scopes.supervisor}%`} AND county_code NOT LIKE ${`${scopes.supervisor2}%`}
            AND status <> 'closed'
          ORDER BY (status = 'supervising') DESC, unit_type DESC, id LIMIT 1`);
        expect(row, 'a listing in one supervisor scope and not the other').toBeDefined();
        target = { listingId: row!.id, countyCode: row!.county, villageCode: row!.village };
      }, 60_000);
      afterAll(async () => {
        await server?.close();
        await database?.dispose();
      });

      it('logs in with the demo credentials, and refuses a wrong password or user with one message', async () => {
        const me = await ok<{ me: { username: string; role: string } }>(
          '{ me { username role } }',
          {},
          tokens.supervisor,
        );
        expect(me.me).toEqual({ username: 'supervisor', role: 'SUPERVISOR' });
        expect((await ok<{ me: null }>('{ me { username } }')).me).toBeNull();
        for (const [u, p] of [
          ['supervisor', 'wrong-password-123'],
          ['nobody', DEMO_PASSWORD],
        ]) {
          const result = await gql(
            'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
            { u, p },
          );
          expect(result.errors?.[0]?.message).toBe('wrong username or password');
          expect(codeOf(result)).toBe('UNAUTHENTICATED');
        }
        const [hash] = await database.rows<{ h: string }>(
          sql`SELECT password_hash AS h FROM users WHERE username = 'admin'`,
        );
        expect(hash!.h).toMatch(/^scrypt\$32768\$8\$1\$/);
        expect(hash!.h).not.toContain(DEMO_PASSWORD);
      });

      it('keeps problem details, inspections and users behind a login; aggregates stay public', async () => {
        const anonymous = await gql('{ problems(first: 1) { totalCount } }');
        expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
        expect(anonymous.errors?.[0]?.message).toMatch(/problem ledger needs a login/);
        const loggedIn = await ok<{ problems: { totalCount: number } }>(
          '{ problems(first: 1) { totalCount } }',
          {},
          tokens.leader,
        );
        expect(loggedIn.problems.totalCount).toBeGreaterThan(0);
        expect(codeOf(await gql('{ users { username } }', {}, tokens.analyst))).toBe('FORBIDDEN');
        expect(codeOf(await gql('{ listings { nodes { inspections { id } } } }'))).toBe('UNAUTHENTICATED');
        // Counts are public: on the county and in the summary.
        const county = await ok<{
          county: { openProblems: number; overdueProblems: number; listing: { status: string } | null };
        }>('query($c: String!) { county(code: $c) { openProblems overdueProblems listing { status } } }', {
          c: target.countyCode,
        });
        const [direct] = await database.rows<{ open: number; overdue: number }>(sql`
          SELECT count(*) FILTER (WHERE status <> 'closed')::int AS open,
            count(*) FILTER (WHERE status <> 'closed' AND deadline < (now() AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue
          FROM supervision_problems WHERE county_code = ${target.countyCode}`);
        expect(county.county).toMatchObject({ openProblems: direct!.open, overdueProblems: direct!.overdue });
        // The ledger export needs a login too.
        expect((await fetch(`${server.url}/export/problems.csv`)).status).toBe(401);
        const csv = await fetch(`${server.url}/export/problems.csv`, {
          headers: { authorization: `Bearer ${tokens.analyst}` },
        });
        expect(csv.status).toBe(200);
        expect(await csv.text()).toContain('整改时限');
      });

      it('refuses expired, tampered and foreign tokens on every request, public or not', async () => {
        const expired = (
          await signToken({ userId: 1, role: 'admin', scope: null }, { expiresInSeconds: -60 })
        ).token;
        const [header, payload, signature] = tokens.leader!.split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        const tampered = [
          header,
          Buffer.from(JSON.stringify({ ...claims, role: 'admin', sub: '3' })).toString('base64url'),
          signature,
        ].join('.');
        const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
        for (const [token, reason] of [
          [expired, 'expired'],
          [tampered, 'invalid'],
          [forged, 'invalid'],
          ['not-a-jwt', 'invalid'],
        ] as const) {
          const result = await gql('{ dataset { label } }', {}, token);
          expect(result.status).toBe(401);
          expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
        }
      });

      it('answers every mutation × role × scope × token as it should, and changes nothing where refused', async () => {
        const expired = (
          await signToken({ userId: 1, role: 'admin', scope: null }, { expiresInSeconds: -60 })
        ).token;
        const tampered = `${tokens.admin!.slice(0, -4)}AAAA`;
        const callers: Record<string, string | undefined> = {
          anonymous: undefined,
          expired,
          tampered,
          leader: tokens.leader,
          analyst: tokens.analyst,
          'supervisor outside scope': tokens.supervisor2,
          'supervisor in scope': tokens.supervisor,
          admin: tokens.admin,
        };
        const writers = new Set(['supervisor in scope', 'admin']);
        const refusal: Record<string, string> = {
          anonymous: 'UNAUTHENTICATED',
          expired: 'UNAUTHENTICATED',
          tampered: 'UNAUTHENTICATED',
          leader: 'FORBIDDEN',
          analyst: 'FORBIDDEN',
          'supervisor outside scope': 'FORBIDDEN',
        };
        // Each mutation, built fresh for each caller (versions move when a write succeeds).
        const mutations: Record<
          string,
          (token: string | undefined) => Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>
        > = {
          reportProblem: (token) =>
            gql(
              'mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id } }',
              {
                input: {
                  countyCode: target.countyCode,
                  villageCode: target.villageCode,
                  listingId: target.listingId,
                  category: 'INCOME',
                  department: '农业农村局',
                  description: '收入监测不到位',
                  foundOn: '2026-09-01',
                  deadline: '2026-12-01',
                },
              },
              token,
            ),
          recordInspection: (token) =>
            gql(
              'mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { id } }',
              {
                input: {
                  listingId: target.listingId,
                  kind: 'SPOT_CHECK',
                  inspectedOn: '2026-10-15',
                  inspectors: '省督战组',
                  householdsChecked: 40,
                  villagesChecked: 1,
                  findings: '抽查40户',
                  problems: [],
                },
              },
              token,
            ),
          updateProblemStatus: async (token) => {
            const p = await latestProblem();
            return gql(
              'mutation($id: Int!, $v: Int!, $s: ProblemStatus!) { updateProblemStatus(id: $id, expectedVersion: $v, status: $s, note: "复查未通过") { id } }',
              { id: p.id, v: p.version, s: p.status === 'open' ? 'IN_PROGRESS' : 'OPEN' },
              token,
            );
          },
          assignDepartment: async (token) => {
            const p = await latestProblem();
            return gql(
              'mutation($id: Int!, $v: Int!, $d: String!) { assignDepartment(id: $id, expectedVersion: $v, department: $d) { id } }',
              // Another department each time: handing it to the one it has changes nothing, and is refused.
              { id: p.id, v: p.version, d: p.department === '水利局' ? '住建局' : '水利局' },
              token,
            );
          },
          setDeadline: async (token) => {
            const p = await latestProblem();
            return gql(
              'mutation($id: Int!, $v: Int!, $d: String!) { setDeadline(id: $id, expectedVersion: $v, deadline: $d) { id } }',
              { id: p.id, v: p.version, d: p.deadline === '2027-01-31' ? '2027-02-28' : '2027-01-31' },
              token,
            );
          },
          liftListing: async (token) => {
            const l = await listingVersion();
            return gql(
              'mutation($id: Int!, $v: Int!) { liftListing(id: $id, expectedVersion: $v, liftedOn: "2026-11-01") { id } }',
              { id: target.listingId, v: l },
              token,
            );
          },
          closeListing: async (token) => {
            const l = await listingVersion();
            return gql(
              'mutation($id: Int!, $v: Int!) { closeListing(id: $id, expectedVersion: $v) { id } }',
              { id: target.listingId, v: l },
              token,
            );
          },
          createUser: (token) =>
            gql(
              'mutation($u: String!) { createUser(username: $u, displayName: "新用户", role: ANALYST, password: "long-enough-password") { id } }',
              { u: `user-${Math.random().toString(36).slice(2, 8)}` },
              token,
            ),
          updateUser: (token) => gql('mutation { updateUser(id: 2, displayName: "改名") { id } }', {}, token),
        };
        const adminOnly = new Set(['createUser', 'updateUser']);
        const outcomes: string[] = [];
        for (const [name, run] of Object.entries(mutations)) {
          for (const [caller, token] of Object.entries(callers)) {
            await latestProblem(); // so that no setup write happens between the fingerprints
            const before = await fingerprint();
            const code = codeOf(await run(token));
            const allowed = adminOnly.has(name) ? caller === 'admin' : writers.has(caller);
            if (allowed) {
              // Allowed callers pass the gate; the workflow may still say no (closing an unlifted listing).
              expect(['OK', 'INVALID_TRANSITION'], `${name} as ${caller}`).toContain(code);
            } else {
              const expected =
                adminOnly.has(name) && caller.startsWith('supervisor')
                  ? 'FORBIDDEN'
                  : (refusal[caller] ?? 'FORBIDDEN');
              expect(code, `${name} as ${caller}`).toBe(expected);
              expect(await fingerprint(), `${name} as ${caller} changed the database`).toEqual(before);
            }
            outcomes.push(`${name}/${caller}/${code}`);
          }
        }
        expect(outcomes).toHaveLength(9 * 8);
      });

      interface LatestProblem {
        id: number;
        version: number;
        status: string;
        department: string;
        deadline: string;
      }
      async function latestProblem(): Promise<LatestProblem> {
        const [p] = await database.rows<LatestProblem>(sql`
          SELECT id, version, status, department, deadline::text AS deadline FROM supervision_problems
          WHERE listing_id = ${target.listingId} AND status <> 'closed'
          ORDER BY id DESC LIMIT 1`);
        if (p) return p;
        const created = await newProblem();
        return {
          id: Number(created.id),
          version: created.version,
          status: 'open',
          department: '住建局',
          deadline: '2026-12-31',
        };
      }
      async function listingVersion() {
        const [l] = await database.rows<{ version: number }>(
          sql`SELECT version FROM supervision_listings WHERE id = ${target.listingId}`,
        );
        return l!.version;
      }

      it('allows exactly the legal moves between statuses, and keeps the whole history', async () => {
        for (const from of STATUSES) {
          for (const to of STATUSES) {
            if (from === to) continue;
            const problem = await newProblem();
            let version = problem.version;
            for (const step of PATH_TO[from]) {
              const r = await move(problem.id, version, step);
              expect(codeOf(r), `${from}: ${step}`).toBe('OK');
              version = r.data!.updateProblemStatus.version;
            }
            // A rectified problem is verified (closed or sent back) by someone other than who rectified it.
            const verifier = from === 'rectified' || to === 'closed' ? tokens.admin : tokens.supervisor;
            const result = await move(problem.id, version, to, '复查发现问题反弹', verifier);
            const legal = to in PROBLEM_TRANSITIONS[from];
            expect(codeOf(result), `${from} → ${to}`).toBe(legal ? 'OK' : 'INVALID_TRANSITION');
            if (!legal) expect(result.errors![0]!.message).toMatch(new RegExp(`${from} cannot become ${to}`));
          }
        }
        // One problem's whole life, and its history.
        const p = await newProblem();
        let v = p.version;
        for (const [to, note] of [
          ['in_progress'],
          ['rectified'],
          ['closed'],
          ['open', '回头看发现复发'],
        ] as const) {
          const r = await move(p.id, v, to, note);
          expect(codeOf(r)).toBe('OK');
          v = r.data!.updateProblemStatus.version;
        }
        const history = await ok<{
          problems: {
            nodes: {
              history: {
                action: string;
                fromStatus: string | null;
                toStatus: string | null;
                changedBy: string;
                note: string | null;
              }[];
              closedOn: string | null;
            }[];
          };
        }>(
          `query($id: Int) { problems(filter: { listingId: $id }, first: 200) { nodes { id closedOn history { action fromStatus toStatus changedBy note } } } }`,
          { id: target.listingId },
          tokens.leader,
        );
        const mine = history.problems.nodes.find((n) => (n as unknown as { id: string }).id === p.id)!;
        expect(mine.history.map((h) => `${h.action}:${h.fromStatus ?? ''}>${h.toStatus}`)).toEqual([
          'reported:>OPEN',
          'started:OPEN>IN_PROGRESS',
          'rectified:IN_PROGRESS>RECTIFIED',
          'closed:RECTIFIED>CLOSED',
          'reopened:CLOSED>OPEN',
        ]);
        expect(mine.history.map((h) => h.changedBy)).toEqual([
          'supervisor',
          'supervisor',
          'supervisor',
          'admin',
          'supervisor',
        ]);
        expect(mine.history.at(-1)!.note).toBe('回头看发现复发');
        expect(mine.closedOn).toBeNull();
        // Reopening needs a reason.
        const closed = await newProblem();
        let cv = closed.version;
        for (const to of ['in_progress', 'rectified', 'closed'])
          cv = (await move(closed.id, cv, to)).data!.updateProblemStatus.version;
        const before = await fingerprint();
        const noReason = await move(closed.id, cv, 'open');
        expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'note' });
        expect(await fingerprint()).toEqual(before);
      });

      it('shows a new problem in the 挂牌督战 county tile and the KPI totals on the very next request, and leaves the base county tile as it was', async () => {
        const [at] = await database.rows<{ lon: number; lat: number }>(sql`
          SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE code = ${target.countyCode}`);
        const [, x, y] = tileOf(at!.lon, at!.lat, 8);
        const countyTile = async (name = 'supervision-counties') => {
          const response = await fetch(`${server.url}/tiles/${name}/8/${x}/${y}.pbf?year=2021`);
          const layer = new VectorTile(new Pbf(new Uint8Array(await response.arrayBuffer()))).layers[name]!;
          const features = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties);
          return {
            etag: response.headers.get('etag'),
            county: features.find((p) => p.code === target.countyCode)!,
          };
        };
        const kpi = async () =>
          (
            await ok<{ regionStats: { isTotal: boolean; openProblems: number }[] }>(
              '{ regionStats(level: PROVINCE, year: 2021) { isTotal openProblems } }',
            )
          ).regionStats.find((r) => r.isTotal)!.openProblems;
        const before = { tile: await countyTile(), base: await countyTile('counties'), open: await kpi() };
        await newProblem();
        const after = { tile: await countyTile(), base: await countyTile('counties'), open: await kpi() };
        expect(after.base.etag).toBe(before.base.etag);
        expect(after.open).toBe(before.open + 1);
        expect(after.tile.etag).not.toBe(before.tile.etag);
        // The target's county is itself listed, so its tile feature carries the ledger counts.
        expect(before.tile.county.listing).toBeDefined();
        expect(after.tile.county.open_problems).toBe(Number(before.tile.county.open_problems ?? 0) + 1);
      });

      it('gives the second of two concurrent edits a conflict naming the current version, and keeps the first', async () => {
        const p = await newProblem();
        const [first, second] = await Promise.all([
          gql(
            `mutation($id: Int!, $v: Int!) { assignDepartment(id: $id, expectedVersion: $v, department: "教育局") { version } }`,
            { id: Number(p.id), v: p.version },
            tokens.supervisor,
          ),
          gql(
            `mutation($id: Int!, $v: Int!) { assignDepartment(id: $id, expectedVersion: $v, department: "卫健局") { version } }`,
            { id: Number(p.id), v: p.version },
            tokens.admin,
          ),
        ]);
        const results = [first, second];
        const won = results.filter((r) => codeOf(r) === 'OK');
        const lost = results.filter((r) => codeOf(r) === 'CONFLICT');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.errors![0]!.extensions).toMatchObject({
          code: 'CONFLICT',
          currentVersion: p.version + 1,
        });
        expect(lost[0]!.errors![0]!.message).toMatch(/is at version \d+, not \d+/);
        const [row] = await database.rows<{ department: string; version: number; n: number }>(sql`
          SELECT department, version, (SELECT count(*)::int FROM supervision_problem_history WHERE problem_id = ${Number(p.id)}) AS n
          FROM supervision_problems WHERE id = ${Number(p.id)}`);
        expect(row!.version).toBe(p.version + 1);
        expect(['教育局', '卫健局']).toContain(row!.department);
        expect(row!.n).toBe(2); // reported + one reassignment
      });

      it('writes an inspection and its problems together or not at all', async () => {
        const inspection = (deadlineOfSecond: string, extra: Record<string, unknown> = {}) => ({
          input: {
            listingId: target.listingId,
            kind: 'REVIEW',
            inspectedOn: '2026-10-20',
            inspectors: '回头看组',
            householdsChecked: 30,
            villagesChecked: 1,
            findings: '发现两个问题',
            problems: [
              {
                category: 'DRINKING_WATER',
                department: '水利局',
                description: '水压不足',
                deadline: '2026-12-20',
              },
              {
                category: 'FUNDS',
                department: '财政局',
                description: '资金拨付滞后',
                deadline: deadlineOfSecond,
              },
            ],
            ...extra,
          },
        });
        const record =
          'mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { id problemsFound } }';
        const before = await fingerprint();
        // The second problem's deadline is before the inspection: nothing of it may stay.
        const failing = await gql(record, inspection('2026-10-01'), tokens.supervisor);
        expect(failing.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'input.problems[1].deadline',
        });
        expect(await fingerprint()).toEqual(before);
        const key = { idempotencyKey: `inspection-${backend.name}` };
        const passing = await ok<{ recordInspection: { id: number; problemsFound: number } }>(
          record,
          inspection('2026-12-01', key),
          tokens.supervisor,
        );
        expect(passing.recordInspection.problemsFound).toBe(2);
        // A retry with the same key returns the same inspection and writes nothing.
        const mid = await fingerprint();
        const retry = await ok<{ recordInspection: { id: number } }>(
          record,
          inspection('2026-12-01', key),
          tokens.supervisor,
        );
        expect(retry.recordInspection.id).toBe(passing.recordInspection.id);
        expect(await fingerprint()).toEqual(mid);
      });

      it('names the field at fault for bad input, and stores nothing', async () => {
        const before = await fingerprint();
        const cases: [Record<string, unknown>, string][] = [
          [{ foundOn: '2026-02-30' }, 'input.foundOn'],
          [{ foundOn: '2099-01-01', deadline: '2099-02-01' }, 'input.foundOn'],
          [{ deadline: '2026-09-01' }, 'input.deadline'],
          [{ description: 'x'.repeat(2001) }, 'input.description'],
          [{ description: '   ' }, 'input.description'],
          [{ department: '' }, 'input.department'],
          [{ countyCode: '12345' }, 'input.countyCode'],
          [{ villageCode: '999999999999' }, 'input.villageCode'],
          [{ listingId: 0 }, 'input.listingId'],
          [{ idempotencyKey: 'k'.repeat(101) }, 'input.idempotencyKey'],
        ];
        for (const [override, argument] of cases) {
          const result = await gql(
            'mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id } }',
            {
              input: {
                countyCode: target.countyCode,
                villageCode: target.villageCode,
                listingId: target.listingId,
                category: 'INCOME',
                department: '人社局',
                description: '务工就业不稳定',
                foundOn: '2026-10-01',
                deadline: '2026-12-31',
                ...override,
              },
            },
            tokens.supervisor,
          );
          expect(result.errors?.[0]?.extensions, JSON.stringify(override)).toMatchObject({
            code: 'BAD_USER_INPUT',
            argument,
          });
        }
        const unknownCategory = await gql(
          'mutation { reportProblem(input: { countyCode: "520000", category: GDP, department: "x", description: "y", foundOn: "2026-01-01", deadline: "2026-02-01" }) { id } }',
          {},
          tokens.supervisor,
        );
        expect(codeOf(unknownCategory)).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(await fingerprint()).toEqual(before);
      });

      it('closes a listing only when it is lifted and every problem is closed', async () => {
        // The matrix above may already have lifted it (as the supervisor in scope).
        const [state] = await database.rows<{ status: string }>(
          sql`SELECT status FROM supervision_listings WHERE id = ${target.listingId}`,
        );
        if (state!.status === 'supervising') {
          const early = await gql(
            'mutation($id: Int!, $v: Int!) { closeListing(id: $id, expectedVersion: $v) { status } }',
            { id: target.listingId, v: await listingVersion() },
            tokens.supervisor,
          );
          expect(early.errors?.[0]?.message).toMatch(/must be lifted/);
          await ok(
            'mutation($id: Int!, $v: Int!) { liftListing(id: $id, expectedVersion: $v, liftedOn: "2026-11-01") { status } }',
            { id: target.listingId, v: await listingVersion() },
            tokens.supervisor,
          );
        }
        let version = await listingVersion();
        version = await listingVersion();
        const open = await database.rows<{ id: number; version: number; status: string }>(sql`
          SELECT id, version, status FROM supervision_problems WHERE listing_id = ${target.listingId} AND status <> 'closed' ORDER BY id`);
        expect(open.length).toBeGreaterThan(0);
        const refused = await gql(
          'mutation($id: Int!, $v: Int!) { closeListing(id: $id, expectedVersion: $v) { status } }',
          { id: target.listingId, v: version },
          tokens.supervisor,
        );
        expect(refused.errors?.[0]?.extensions).toMatchObject({
          code: 'INVALID_TRANSITION',
          openProblems: open.length,
        });
        for (const p of open) {
          let v = p.version;
          // A signed problem goes on as an open one does.
          const from = p.status === 'signed' ? 'open' : (p.status as SupervisorStatus);
          for (const step of STATUSES.slice(STATUSES.indexOf(from) + 1)) {
            if (step === 'rectified') {
              // The measures come first: a problem is marked rectified only with them recorded.
              const details = await ok<{ updateProblemDetails: { version: number } }>(
                'mutation($id: Int!, $v: Int!) { updateProblemDetails(id: $id, expectedVersion: $v, measures: "逐户整改") { version } }',
                { id: p.id, v },
                tokens.supervisor,
              );
              v = details.updateProblemDetails.version;
            }
            const r = await move(p.id, v, step);
            expect(codeOf(r)).toBe('OK');
            v = r.data!.updateProblemStatus.version;
          }
        }
        const closed = await ok<{ closeListing: { status: string; closedOn: string; openProblems: number } }>(
          'mutation($id: Int!, $v: Int!) { closeListing(id: $id, expectedVersion: $v) { status closedOn openProblems } }',
          { id: target.listingId, v: version },
          tokens.supervisor,
        );
        expect(closed.closeListing).toMatchObject({ status: 'CLOSED', openProblems: 0 });
      });

      it('sums the ledger by status, category and department, as the rows say', async () => {
        const summary = await ok<{
          supervisionSummary: {
            total: {
              total: number;
              closed: number;
              rectified: number;
              overdue: number;
              rectificationRate: number;
            };
            byCategory: { key: string; total: number }[];
            byDepartment: { key: string; total: number }[];
          };
        }>(
          'query($r: String) { supervisionSummary(regionCode: $r) { total { total closed rectified overdue rectificationRate } byCategory { key total } byDepartment { key total } } }',
          { r: scopes.supervisor },
          // Logged in: anonymous callers do not see the details of small ledgers (idempotency.test.ts).
          tokens.analyst,
        );
        const [direct] = await database.rows<{ total: number; done: number; overdue: number }>(sql`
          SELECT count(*)::int AS total, count(*) FILTER (WHERE status IN ('rectified', 'closed'))::int AS done,
            count(*) FILTER (WHERE status <> 'closed' AND deadline < (now() AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue
          FROM supervision_problems WHERE county_code LIKE ${`${scopes.supervisor}%`}`);
        const s = summary.supervisionSummary;
        expect(s.total.total).toBe(direct!.total);
        expect(s.total.overdue).toBe(direct!.overdue);
        expect(s.total.rectificationRate).toBeCloseTo(direct!.done / direct!.total, 9);
        expect(s.byCategory.reduce((n, c) => n + c.total, 0)).toBe(direct!.total);
        expect(s.byDepartment.reduce((n, c) => n + c.total, 0)).toBe(direct!.total);
        const listings = await ok<{ listings: { totalCount: number; byStatus: { count: number }[] } }>(
          'query($r: String) { listings(filter: { regionCode: $r }) { totalCount byStatus { status count } } }',
          { r: scopes.supervisor },
        );
        expect(listings.listings.byStatus.reduce((n, c) => n + c.count, 0)).toBe(
          listings.listings.totalCount,
        );
      });
    },
  );
}
