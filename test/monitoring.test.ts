// 防止返贫动态监测 (#17), on both backends: the generated households agree with the village
// figures, the early-warning rule agrees with an independent computation, a new monitoring line
// changes who is flagged and the statistics, household rows need a login and stay inside the
// reader's region (and every read is audited), and a household moves monitoring → risk removed →
// re-identified with its history — with nothing changed wherever a request is refused.
import {
  LAST_YEAR,
  ledgerToday,
  MEASURE_SUMMARY_SQL,
  monitoringStats,
  monitoringStatsCounted,
  queryRows,
  refreshMeasureSummary,
  refreshMonitoringToday,
} from '@rrm/db';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackends } from './support/databases.ts';
import { databaseFingerprint, type FingerprintPart } from './support/fingerprint.ts';
import { errorCode, graphqlClient, loginAs, startTestServer, type TestServer } from './support/http.ts';

const MONITORING_PARTS: readonly FingerprintPart[] = [
  'households',
  'household_history',
  'household_measures',
  'monitoring_lines',
  'dataset',
];

interface Household {
  id: number;
  number: string;
  countyCode: string;
  status: string;
  version: number;
  incomePerCapita: number;
  monitoringLine: number;
  earlyWarning: boolean;
  history: {
    action: string;
    fromStatus: string | null;
    toStatus: string;
    note: string | null;
    recordedBy: string;
  }[];
}
const HOUSEHOLD =
  'id number countyCode status version incomePerCapita monitoringLine earlyWarning history { action fromStatus toStatus note recordedBy }';

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(
    `monitored households on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let database: TestDatabase;
      let server: TestServer;
      const tokens: Record<string, string> = {};
      const { gql, ok } = graphqlClient(() => server);
      const fingerprint = () => databaseFingerprint(database, MONITORING_PARTS);
      /** The supervisor's and the department user's region scopes. */
      const scopes: Record<string, string> = {};

      beforeAll(async () => {
        database = await openTestDatabase(backend.name);
        server = await startTestServer(database);
        for (const name of ['leader', 'analyst', 'admin', 'supervisor', 'supervisor2', 'department'])
          tokens[name] = await loginAs(server, name);
        for (const row of await database.rows<{ username: string; scope: string }>(
          sql`SELECT username, region_scope AS scope FROM users WHERE region_scope IS NOT NULL`,
        ))
          scopes[row.username] = row.scope;
      });
      afterAll(async () => {
        await server?.close();
        await database?.dispose();
      });

      it('generates households that sum, village by village, to the village figures of the last year', async () => {
        const [totals] = await database.rows<{
          households: number;
          villages: number;
          mismatched: number;
        }>(sql`
          WITH h AS (
            SELECT village_code,
              count(*) FILTER (WHERE type = 'unstable') AS unstable,
              count(*) FILTER (WHERE type = 'marginal') AS marginal,
              count(*) FILTER (WHERE type = 'sudden_hardship') AS sudden,
              count(*) FILTER (WHERE removed_on <= ${`${LAST_YEAR}-12-31`}::date) AS removed
            FROM households GROUP BY village_code)
          SELECT (SELECT count(*)::int FROM households) AS households,
            count(*)::int AS villages,
            count(*) FILTER (WHERE coalesce(h.unstable, 0) <> vi.monitored_unstable
              OR coalesce(h.marginal, 0) <> vi.monitored_marginal
              OR coalesce(h.sudden, 0) <> vi.monitored_sudden_hardship
              OR coalesce(h.removed, 0) <> vi.monitored_risk_removed)::int AS mismatched
          FROM village_indicators vi LEFT JOIN h ON h.village_code = vi.village_code
          WHERE vi.year = ${LAST_YEAR}`);
        expect(totals!.households).toBeGreaterThan(100);
        expect(totals!.villages).toBeGreaterThan(10);
        expect(totals!.mismatched).toBe(0);
        // Every household has a number, its first identification in the history, and no one's name.
        const [shape] = await database.rows<{ bad: number; identified: number; households: number }>(sql`
          SELECT count(*) FILTER (WHERE number !~ '^[0-9]{12}-[0-9]{4}$')::int AS bad,
            (SELECT count(DISTINCT household_id)::int FROM household_history WHERE action = 'identified') AS identified,
            count(*)::int AS households FROM households`);
        expect(shape).toEqual({ bad: 0, identified: shape!.households, households: shape!.households });
      });

      it("keeps each household's measure summary equal to its measures", async () => {
        const check = async () =>
          (
            await database.rows<{ households: number; wrong: number }>(sql`
              SELECT count(*)::int AS households, count(*) FILTER (WHERE
                h.first_measure_on IS DISTINCT FROM s.first_measure_on OR h.measures_until IS DISTINCT FROM s.measures_until
                OR h.loan_balance_yuan <> coalesce(s.loan_balance_yuan, 0) OR h.loan_overdue_yuan <> coalesce(s.loan_overdue_yuan, 0))::int AS wrong
              FROM households h LEFT JOIN (${MEASURE_SUMMARY_SQL} GROUP BY m.household_id) s ON s.household_id = h.id`)
          )[0]!;
        const generated = await check();
        expect(generated.households).toBeGreaterThan(100);
        expect(generated.wrong).toBe(0);
        // Refreshing after a change of measures (inside a transaction that is rolled back).
        await database.db
          .transaction(async (tx) => {
            const [h] = await queryRows<{ id: number }>(
              tx,
              sql`SELECT household_id AS id FROM household_measures WHERE kind = 'small_loan' AND loan_state = 'current' LIMIT 1`,
            );
            await tx.execute(
              sql`UPDATE household_measures SET loan_state = 'overdue', ended_on = NULL WHERE household_id = ${h!.id} AND kind = 'small_loan'`,
            );
            await refreshMeasureSummary(tx, [h!.id]);
            const [row] = await queryRows<{ until: string; overdue: number; balance: number }>(
              tx,
              sql`SELECT measures_until::text AS until, loan_overdue_yuan::int AS overdue, loan_balance_yuan::int AS balance FROM households WHERE id = ${h!.id}`,
            );
            expect(row!.until).toBe('infinity');
            expect(row!.overdue).toBe(row!.balance);
            expect(row!.overdue).toBeGreaterThan(0);
            throw new Error('roll back');
          })
          .catch((e: Error) => expect(e.message).toBe('roll back'));
      });

      it('flags early warnings exactly as an independent computation of the rule does', async () => {
        // The rule computed here from the raw rows, in JavaScript: monitored, income under the
        // province's line of the income's year plus 10 %, and no measure running today.
        const lines = new Map(
          (
            await database.rows<{ key: string; line: number }>(
              sql`SELECT province_code || '/' || year AS key, line_yuan AS line FROM monitoring_lines`,
            )
          ).map((l) => [l.key, l.line]),
        );
        const [{ today }] = (await database.rows<{ today: string }>(
          sql`SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS today`,
        )) as [{ today: string }];
        const running = new Set(
          (
            await database.rows<{ id: number }>(
              sql`SELECT DISTINCT household_id AS id FROM household_measures WHERE ended_on IS NULL OR ended_on >= ${today}::date`,
            )
          ).map((r) => r.id),
        );
        const rows = await database.rows<{
          id: number;
          county: string;
          status: string;
          income: number;
          year: number;
        }>(
          sql`SELECT id, county_code AS county, status, income_per_capita AS income, income_year AS year FROM households`,
        );
        const expected = rows
          .filter((h) => {
            const line = lines.get(`${h.county.slice(0, 2)}/${h.year}`);
            return h.status === 'monitoring' && line != null && h.income <= line * 1.1 && !running.has(h.id);
          })
          .map((h) => h.id)
          .sort((a, b) => a - b);
        expect(expected.length, 'the demo data has early warnings to find').toBeGreaterThan(0);
        const listed = await allHouseholds({ earlyWarning: true }, tokens.admin!, 'id earlyWarning');
        expect(listed.map((h) => h.id)).toEqual(expected);
        expect(listed.every((h) => h.earlyWarning)).toBe(true);
        // The public statistics count the same households.
        const stats = await ok<{ monitoringStats: { code: string; earlyWarning: number }[] }>(
          '{ monitoringStats(level: PROVINCE) { code earlyWarning } }',
        );
        expect(stats.monitoringStats.reduce((s, r) => s + r.earlyWarning, 0)).toBe(expected.length);
      });

      /** Every household matching a filter, page by page. */
      async function allHouseholds(
        filter: Record<string, unknown>,
        token: string,
        fields: string,
      ): Promise<Household[]> {
        const out: Household[] = [];
        let after: string | null = null;
        for (;;) {
          const page: {
            households: {
              edges: { node: Household }[];
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          } = await ok(
            `query($f: HouseholdFilter, $a: String) { households(filter: $f, first: 1000, after: $a) {
              edges { node { ${fields} } } pageInfo { hasNextPage endCursor } } }`,
            { f: filter, a: after },
            token,
          );
          out.push(...page.households.edges.map((e) => e.node));
          if (!page.households.pageInfo.hasNextPage) return out;
          after = page.households.pageInfo.endCursor;
        }
      }

      it('counts monitoring statistics that agree with the household rows', async () => {
        const year = LAST_YEAR;
        const stats = await ok<{
          monitoringStats: {
            code: string;
            monitored: number;
            identified: number;
            riskRemoved: number;
            removalRate: number;
          }[];
        }>(
          `{ monitoringStats(level: COUNTY, year: ${year}) { code monitored identified riskRemoved removalRate } }`,
        );
        const direct = await database.rows<{
          code: string;
          monitored: number;
          identified: number;
          removed: number;
          ever: number;
          gone: number;
        }>(sql`
          SELECT county_code AS code,
            count(*) FILTER (WHERE identified_on <= ${`${year}-12-31`}::date AND (removed_on IS NULL OR removed_on > ${`${year}-12-31`}::date))::int AS monitored,
            count(*) FILTER (WHERE extract(year FROM identified_on) = ${year})::int AS identified,
            count(*) FILTER (WHERE extract(year FROM removed_on) = ${year})::int AS removed,
            count(*) FILTER (WHERE identified_on <= ${`${year}-12-31`}::date)::int AS ever,
            count(*) FILTER (WHERE removed_on <= ${`${year}-12-31`}::date)::int AS gone
          FROM households GROUP BY county_code ORDER BY county_code`);
        expect(stats.monitoringStats.map((s) => s.code)).toEqual(direct.map((d) => d.code));
        for (const [i, d] of direct.entries()) {
          const s = stats.monitoringStats[i]!;
          expect([s.monitored, s.identified, s.riskRemoved]).toEqual([d.monitored, d.identified, d.removed]);
          expect(s.removalRate).toBeCloseTo(d.gone / d.ever, 9);
        }
        const refused = await gql('{ monitoringStats(level: PROVINCE, year: 2019) { code } }');
        expect(errorCode(refused)).toBe('BAD_USER_INPUT');
        expect(refused.errors?.[0]?.message).toMatch(/2020/);
      });

      it('lets only logged-in users read household rows, each inside their region, and audits every read', async () => {
        const total = (await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM households`))[0]!
          .n;
        const count = async (token?: string) =>
          gql<{ households: { totalCount: number } }>('{ households(first: 1) { totalCount } }', {}, token);
        const anonymous = await count();
        expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
        expect(anonymous.data?.households ?? null).toBeNull();
        for (const role of ['leader', 'analyst', 'admin'])
          expect((await count(tokens[role])).data?.households.totalCount, role).toBe(total);
        for (const role of ['supervisor', 'supervisor2', 'department']) {
          const scope = scopes[role]!;
          const [{ n }] = (await database.rows<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM households WHERE county_code LIKE ${`${scope}%`}`,
          )) as [{ n: number }];
          expect((await count(tokens[role])).data?.households.totalCount, role).toBe(n);
          // A filter for another region finds nothing, rather than widening the scope.
          const [elsewhere] = await database.rows<{ code: string }>(
            sql`SELECT county_code AS code FROM households WHERE county_code NOT LIKE ${`${scope}%`} LIMIT 1`,
          );
          if (elsewhere) {
            const outside = await ok<{ households: { totalCount: number } }>(
              'query($r: String) { households(filter: { regionCode: $r }) { totalCount } }',
              { r: elsewhere.code },
              tokens[role],
            );
            expect(outside.households.totalCount, `${role} outside ${scope}`).toBe(0);
            const [other] = await database.rows<{ id: number }>(
              sql`SELECT id FROM households WHERE county_code = ${elsewhere.code} LIMIT 1`,
            );
            const one = await ok<{ household: null }>(
              'query($id: Int!) { household(id: $id) { id } }',
              { id: other!.id },
              tokens[role],
            );
            expect(one.household, `${role} reading household ${other!.id}`).toBeNull();
          }
        }
        const before = (
          await database.rows<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'households.read'`,
          )
        )[0]!.n;
        await ok(
          '{ households(first: 3, filter: { types: [MARGINAL] }) { edges { node { id } } } }',
          {},
          tokens.analyst,
        );
        const [entry] = await database.rows<{ username: string; note: string; n: number }>(sql`
          SELECT username, note, (SELECT count(*)::int FROM audit_log WHERE action = 'households.read') AS n
          FROM audit_log WHERE action = 'households.read' ORDER BY id DESC LIMIT 1`);
        expect(entry!.n).toBe(before + 1);
        expect(entry!.username).toBe('analyst');
        expect(entry!.note).toMatch(/^3 household row\(s\); filter \{"types":\["marginal"\]/);
      });

      it('moves a household monitoring → risk removed → re-identified, in its history, inside the writer’s region only', async () => {
        const scope = scopes.supervisor!;
        const [target] = await database.rows<{ id: number; version: number; last: string }>(sql`
          SELECT id, version, greatest(identified_on, (SELECT max(on_date) FROM household_history WHERE household_id = h.id))::text AS last
          FROM households h WHERE status = 'monitoring' AND county_code LIKE ${`${scope}%`} ORDER BY id LIMIT 1`);
        expect(target).toBeDefined();
        const move = (name: string, input: Record<string, unknown>, token?: string) =>
          gql<Record<string, Household>>(
            `mutation($i: HouseholdMoveInput!) { ${name}(input: $i) { ${HOUSEHOLD} } }`,
            { i: input },
            token,
          );
        const today = new Date().toISOString().slice(0, 10);
        const input = {
          id: target!.id,
          expectedVersion: target!.version,
          onDate: today,
          note: '入户核实: 务工收入稳定',
        };
        const unchanged = await fingerprint();
        // Refused, each with nothing written: another region's supervisor, a leader, no login, a
        // stale version, a date in the future or before the last move, an empty note, a wrong move.
        // Another region's household answers as no household at all (the same message as an id
        // nobody has), so that a supervisor cannot map other regions' households by id.
        const outside = await move('removeHouseholdRisk', input, tokens.supervisor2);
        const nobody = await move('removeHouseholdRisk', { ...input, id: 2_000_000_000 }, tokens.supervisor2);
        expect(errorCode(outside)).toBe('NOT_FOUND');
        expect(outside.errors![0]!.message.replace(String(target!.id), 'N')).toBe(
          nobody.errors![0]!.message.replace('2000000000', 'N'),
        );
        for (const [token, code] of [
          [tokens.leader, 'FORBIDDEN'],
          [tokens.department, 'FORBIDDEN'],
          [undefined, 'UNAUTHENTICATED'],
        ] as const)
          expect(errorCode(await move('removeHouseholdRisk', input, token))).toBe(code);
        for (const [bad, argument] of [
          [{ expectedVersion: target!.version + 1 }, 'expectedVersion'],
          [{ onDate: '2999-01-01' }, 'onDate'],
          [{ onDate: '2019-12-31' }, 'onDate'],
          [{ onDate: '2025-02-30' }, 'input.onDate'],
          [{ note: '   ' }, 'input.note'],
          [{ note: 'x'.repeat(301) }, 'input.note'],
        ] as const) {
          const refused = await move('removeHouseholdRisk', { ...input, ...bad }, tokens.supervisor);
          expect(refused.errors?.[0]?.extensions?.argument, JSON.stringify(bad)).toBe(argument);
        }
        expect(errorCode(await move('reidentifyHousehold', input, tokens.supervisor))).toBe(
          'INVALID_TRANSITION',
        );
        expect(await fingerprint()).toEqual(unchanged);

        const removed = await move('removeHouseholdRisk', input, tokens.supervisor);
        expect(removed.errors).toBeUndefined();
        const after = removed.data!.removeHouseholdRisk!;
        expect(after.status).toBe('RISK_REMOVED');
        expect(after.version).toBe(target!.version + 1);
        expect(after.earlyWarning).toBe(false);
        expect(after.history.at(-1)).toMatchObject({
          action: 'risk_removed',
          fromStatus: 'MONITORING',
          toStatus: 'RISK_REMOVED',
          note: '入户核实: 务工收入稳定',
          recordedBy: 'supervisor',
        });
        const again = await move(
          'reidentifyHousehold',
          { ...input, expectedVersion: after.version, note: '家庭成员突发重病' },
          tokens.supervisor,
        );
        expect(again.errors).toBeUndefined();
        const back = again.data!.reidentifyHousehold!;
        expect(back.status).toBe('MONITORING');
        expect(back.history.map((h) => h.action).slice(-2)).toEqual(['risk_removed', 'reidentified']);
        const audit = await database.rows<{ action: string }>(sql`
          SELECT action FROM audit_log WHERE target_kind = 'household' AND target_id = ${String(target!.id)}
            AND action LIKE 'household.%' ORDER BY id`);
        expect(audit.map((a) => a.action)).toEqual(['household.risk_removed', 'household.reidentified']);
      });

      it('records a measure and ends it: the summary, the early warning, history and audit follow; refusals change nothing', async () => {
        const scope = scopes.supervisor!;
        const [target] = await database.rows<{ id: number }>(sql`
          SELECT h.id FROM households h WHERE h.county_code LIKE ${`${scope}%`} AND h.county_code NOT LIKE ${`${scopes.supervisor2}%`}
            AND h.status = 'monitoring' AND coalesce(h.measures_until < ${ledgerToday()}::date, true)
            AND h.income_per_capita <= ${sql`(SELECT line_yuan FROM monitoring_lines l WHERE l.province_code = left(h.county_code, 2) AND l.year = h.income_year)`} * 1.1
            AND NOT EXISTS (SELECT 1 FROM household_measures m WHERE m.household_id = h.id AND m.kind = 'small_loan' AND m.started_on = '2024-03-01')
          ORDER BY h.id LIMIT 1`);
        expect(target, 'an early-warning household of the supervisor').toBeDefined();
        const read = async () =>
          (
            await ok<{
              household: Household & {
                activeMeasure: boolean;
                measures: { id: number; kind: string; loanState: string | null; endedOn: string | null }[];
              };
            }>(
              `query($id: Int!) { household(id: $id) { ${HOUSEHOLD} activeMeasure measures { id kind loanState endedOn } } }`,
              { id: target!.id },
              tokens.admin,
            )
          ).household;
        const before = await read();
        expect(before.earlyWarning).toBe(true);
        const loan = {
          householdId: target!.id,
          expectedVersion: before.version,
          kind: 'SMALL_LOAN',
          description: '脱贫人口小额信贷，发展肉牛养殖',
          startedOn: '2024-03-01',
          amountYuan: 50_000,
          loanTermMonths: 36,
          loanState: 'CURRENT',
          responsibleUnit: '县乡村振兴局',
        };
        const add = (input: Record<string, unknown>, token?: string) =>
          gql<{ addHouseholdMeasure: Household & { activeMeasure: boolean } }>(
            `mutation($i: HouseholdMeasureInput!) { addHouseholdMeasure(input: $i) { ${HOUSEHOLD} activeMeasure } }`,
            { i: input },
            token,
          );
        const unchanged = await fingerprint();
        for (const [token, code] of [
          [tokens.supervisor2, 'NOT_FOUND'],
          [tokens.leader, 'FORBIDDEN'],
          [tokens.department, 'FORBIDDEN'],
          [tokens.analyst, 'FORBIDDEN'],
          [undefined, 'UNAUTHENTICATED'],
        ] as const)
          expect(errorCode(await add(loan, token))).toBe(code);
        for (const [bad, argument] of [
          [{ expectedVersion: before.version + 1 }, undefined],
          [{ loanTermMonths: null }, 'loanTermMonths'],
          [{ loanTermMonths: 121 }, 'loanTermMonths'],
          [{ amountYuan: null }, 'amountYuan'],
          [{ kind: 'HEALTH' }, 'loanTermMonths'],
          [{ startedOn: '2099-01-01' }, 'startedOn'],
          [{ endedOn: '2024-01-01' }, 'endedOn'],
          [{ endedOn: '2099-01-01' }, 'endedOn'],
          [{ startedOn: '2013-12-31' }, 'startedOn'],
          [{ description: '  ' }, 'input.description'],
        ] as const) {
          const refused = await add({ ...loan, ...bad }, tokens.supervisor);
          expect(refused.errors, JSON.stringify(bad)).toBeDefined();
          if (argument) expect(refused.errors![0]!.extensions!.argument, JSON.stringify(bad)).toBe(argument);
          else expect(errorCode(refused)).toBe('CONFLICT');
        }
        expect(await fingerprint()).toEqual(unchanged);

        const added = await add(loan, tokens.supervisor);
        expect(added.errors).toBeUndefined();
        expect(added.data!.addHouseholdMeasure).toMatchObject({
          version: before.version + 1,
          activeMeasure: true,
          earlyWarning: false,
        });
        expect(added.data!.addHouseholdMeasure.history.at(-1)).toMatchObject({
          action: 'measure_added',
          recordedBy: 'supervisor',
        });
        const [summary] = await database.rows<{ balance: number }>(
          sql`SELECT loan_balance_yuan::int AS balance FROM households WHERE id = ${target!.id}`,
        );
        const [expected] = await database.rows<{ balance: number }>(
          sql`SELECT coalesce(sum(amount_yuan) FILTER (WHERE kind = 'small_loan' AND loan_state <> 'repaid'), 0)::int AS balance
            FROM household_measures WHERE household_id = ${target!.id}`,
        );
        expect(summary!.balance).toBe(expected!.balance);
        // The same kind from the same day again: refused, nothing written.
        const again = await add({ ...loan, expectedVersion: before.version + 1 }, tokens.supervisor);
        expect(errorCode(again)).toBe('CONFLICT');
        expect(again.errors![0]!.extensions!.argument).toBe('startedOn');

        // Repaid at the end of 2024: no measure runs today, so the early warning is back.
        const measure = (await read()).measures.find((m) => m.kind === 'SMALL_LOAN' && m.endedOn === null)!;
        const end = (input: Record<string, unknown>, token = tokens.supervisor) =>
          gql<{ endHouseholdMeasure: Household & { activeMeasure: boolean } }>(
            `mutation($i: EndHouseholdMeasureInput!) { endHouseholdMeasure(input: $i) { ${HOUSEHOLD} activeMeasure } }`,
            {
              i: {
                measureId: measure.id,
                expectedVersion: before.version + 1,
                endedOn: '2024-12-31',
                loanState: 'REPAID',
                ...input,
              },
            },
            token,
          );
        const stillUnchanged = await fingerprint();
        expect(errorCode(await end({}, tokens.supervisor2))).toBe('NOT_FOUND');
        expect((await end({ loanState: null })).errors![0]!.extensions!.argument).toBe('loanState');
        expect((await end({ endedOn: '2024-02-01' })).errors![0]!.extensions!.argument).toBe('endedOn');
        expect((await end({ loanState: 'CURRENT' })).errors![0]!.extensions!.argument).toBe('loanState');
        expect(await fingerprint()).toEqual(stillUnchanged);
        const ended = await end({});
        expect(ended.errors).toBeUndefined();
        expect(ended.data!.endHouseholdMeasure).toMatchObject({ activeMeasure: false, earlyWarning: true });
        expect((await read()).measures.find((m) => m.id === measure.id)).toMatchObject({
          loanState: 'REPAID',
          endedOn: '2024-12-31',
        });
        expect(errorCode(await end({ expectedVersion: before.version + 2 }))).toBe('INVALID_TRANSITION');
        const audit = await database.rows<{ action: string }>(sql`
          SELECT action FROM audit_log WHERE target_kind = 'household' AND target_id = ${String(target!.id)}
            AND action LIKE 'household.measure%' ORDER BY id`);
        expect(audit.map((a) => a.action)).toEqual(['household.measure_added', 'household.measure_ended']);
      });

      it('stores the map’s household figures per region as a recount gives them, follows a move, and gives none per village', async () => {
        // An independent recount of the county rows, straight from the rule's words: removed at a
        // year's end if removed by then and not re-identified by then.
        const recount = () =>
          database.rows<Record<string, number | string>>(sql`
            WITH e AS (
              SELECT h.*, y.year::int AS y, make_date(y.year, 12, 31) AS e FROM households h
                CROSS JOIN generate_series(2020, ${LAST_YEAR}) y(year)
            ), s AS (
              SELECT e.*, (e.removed_on <= e.e AND (e.reidentified_on IS NULL OR e.reidentified_on <= e.removed_on
                OR e.reidentified_on > e.e)) IS TRUE AS removed FROM e
            )
            SELECT s.county_code AS code, s.y AS year,
              count(*) FILTER (WHERE s.identified_on <= s.e)::int AS identified,
              count(*) FILTER (WHERE s.removed)::int AS risk_removed,
              count(*) FILTER (WHERE s.income_year = s.y)::int AS assessed,
              count(*) FILTER (WHERE s.identified_on <= s.e AND NOT s.removed
                AND s.income_year = s.y AND s.income_per_capita < l.line_yuan)::int AS under_line
            FROM s LEFT JOIN monitoring_lines l ON l.province_code = left(s.county_code, 2) AND l.year = s.income_year
            GROUP BY 1, 2 ORDER BY 1, 2`);
        const stored = () =>
          database.rows<Record<string, number | string>>(sql`
            SELECT region_code AS code, year, identified, risk_removed, assessed, under_line
            FROM region_monitoring_figures WHERE level = 'county' ORDER BY 1, 2`);
        expect(await stored()).toEqual(await recount());
        // A province's row is the sum of its counties'.
        const [sums] = await database.rows<{ province: number; counties: number }>(sql`
          SELECT (SELECT identified FROM region_monitoring_figures WHERE level = 'province' AND year = ${LAST_YEAR}
                    ORDER BY region_code LIMIT 1) AS province,
            (SELECT sum(identified)::int FROM region_monitoring_figures f WHERE level = 'county' AND year = ${LAST_YEAR}
               AND region_code LIKE (SELECT region_code FROM region_monitoring_figures WHERE level = 'province'
                 AND year = ${LAST_YEAR} ORDER BY region_code LIMIT 1) || '%') AS counties`);
        expect(sums!.province).toBe(sums!.counties);

        // A removal dated in the last map year moves its county's share on the next request.
        const [target] = await database.rows<{ id: number; version: number; county: string }>(sql`
          SELECT id, version, county_code AS county FROM households h
          WHERE status = 'monitoring' AND identified_on <= ${`${LAST_YEAR}-06-30`}::date
            AND NOT EXISTS (SELECT 1 FROM household_history x WHERE x.household_id = h.id AND x.on_date > ${`${LAST_YEAR}-06-30`}::date)
          ORDER BY id LIMIT 1`);
        const share = async () =>
          (
            await ok<{ choropleth: { values: { code: string; value: number | null }[] } }>(
              `{ choropleth(level: COUNTY, indicator: RISK_REMOVED_SHARE, year: ${LAST_YEAR}) { values { code value } } }`,
            )
          ).choropleth.values.find((v) => v.code === target!.county)?.value;
        const [before] = await database.rows<{ identified: number; risk_removed: number }>(sql`
          SELECT identified, risk_removed FROM region_monitoring_figures WHERE region_code = ${target!.county} AND year = ${LAST_YEAR}`);
        expect(await share()).toBeCloseTo(before!.risk_removed / before!.identified, 12);
        const removed = await gql(
          'mutation($i: HouseholdMoveInput!) { removeHouseholdRisk(input: $i) { version } }',
          {
            i: {
              id: target!.id,
              expectedVersion: target!.version,
              onDate: `${LAST_YEAR}-06-30`,
              note: '收入稳定',
            },
          },
          tokens.admin,
        );
        expect(removed.errors).toBeUndefined();
        expect(await share()).toBeCloseTo((before!.risk_removed + 1) / before!.identified, 12);
        expect(await stored()).toEqual(await recount());
        // The risk returns today: the household keeps its removal, and the past year still counts it.
        const statsOf = async () =>
          (
            await ok<{ monitoringStats: { monitored: number; riskRemoved: number; removalRate: number }[] }>(
              `query($c: String) { monitoringStats(level: COUNTY, parentCode: $c, year: ${LAST_YEAR}) { monitored riskRemoved removalRate } }`,
              { c: target!.county },
            )
          ).monitoringStats[0];
        const pastBefore = await statsOf();
        const back = await gql<{
          reidentifyHousehold: { status: string; removedOn: string; reidentifiedOn: string };
        }>(
          'mutation($i: HouseholdMoveInput!) { reidentifyHousehold(input: $i) { status removedOn reidentifiedOn } }',
          {
            i: {
              id: target!.id,
              expectedVersion: target!.version + 1,
              onDate: ledgerToday(),
              note: '突发重病',
            },
          },
          tokens.admin,
        );
        expect(back.errors).toBeUndefined();
        expect(back.data!.reidentifyHousehold).toEqual({
          status: 'MONITORING',
          removedOn: `${LAST_YEAR}-06-30`,
          reidentifiedOn: ledgerToday(),
        });
        expect(await statsOf()).toEqual(pastBefore);
        expect(await share()).toBeCloseTo((before!.risk_removed + 1) / before!.identified, 12);
        expect(await stored()).toEqual(await recount());

        // Per village, neither indicator: not on the village map, not as a list's filter or order.
        for (const query of [
          `{ villageChoropleth(countyCode: "${target!.county}", indicator: RISK_REMOVED_SHARE, year: ${LAST_YEAR}) { breaks } }`,
          `{ villages(first: 1, orderBy: { field: INDICATOR, indicator: HOUSEHOLDS_UNDER_LINE, year: ${LAST_YEAR} }) { nodes { code } } }`,
        ]) {
          const refused = await gql(query);
          expect(errorCode(refused), query).toBe('BAD_USER_INPUT');
          expect(refused.errors![0]!.message).toMatch(/counties and wider regions only/);
        }
      });

      it('lets admins alone set a monitoring line, and a new line changes the warnings and the statistics', async () => {
        const [household] = await database.rows<{
          id: number;
          province: string;
          income: number;
          year: number;
        }>(sql`
          SELECT h.id, left(h.county_code, 2) AS province, h.income_per_capita AS income, h.income_year AS year
          FROM households h WHERE h.status = 'monitoring'
            AND NOT EXISTS (SELECT 1 FROM household_measures m WHERE m.household_id = h.id)
          ORDER BY h.id LIMIT 1`);
        expect(household, 'a monitored household with no measure').toBeDefined();
        const { province, year, income } = household!;
        const set = (args: Record<string, unknown>, token?: string) =>
          gql<{
            setMonitoringLine: { lineYuan: number; source: string; version: number; updatedBy: string };
          }>(
            `mutation($p: String!, $y: Int!, $l: Int!, $n: String!, $v: Int) {
              setMonitoringLine(provinceCode: $p, year: $y, lineYuan: $l, sourceNote: $n, expectedVersion: $v) {
                lineYuan source version updatedBy } }`,
            { p: province, y: year, l: 6_000, n: '省乡村振兴局通知 (测试)', ...args },
            token,
          );
        const unchanged = await fingerprint();
        for (const [token, code] of [
          [tokens.supervisor, 'FORBIDDEN'],
          [tokens.analyst, 'FORBIDDEN'],
          [undefined, 'UNAUTHENTICATED'],
        ] as const)
          expect(errorCode(await set({}, token))).toBe(code);
        for (const [bad, argument] of [
          [{ l: 999 }, 'lineYuan'],
          [{ l: 100_001 }, 'lineYuan'],
          [{ y: 2019 }, 'year'],
          [{ y: 2101 }, 'year'],
          [{ n: ' ' }, 'sourceNote'],
          [{ n: 'x'.repeat(301) }, 'sourceNote'],
          [{ p: '99' }, 'provinceCode'],
          [{ p: '5' }, 'provinceCode'],
          [{ v: 999 }, 'expectedVersion'],
        ] as const) {
          const refused = await set(bad, tokens.admin);
          expect(errorCode(refused), JSON.stringify(bad)).not.toBe('OK');
          expect(refused.errors?.[0]?.extensions?.argument, JSON.stringify(bad)).toBe(argument);
        }
        expect(await fingerprint()).toEqual(unchanged);

        const read = async () =>
          (
            await ok<{ household: Household }>(
              `query($id: Int!) { household(id: $id) { ${HOUSEHOLD} } }`,
              { id: household!.id },
              tokens.admin,
            )
          ).household;
        const underStats = async () =>
          (
            await ok<{ monitoringStats: { underLine: number; earlyWarning: number }[] }>(
              `query($p: String) { monitoringStats(level: PROVINCE, parentCode: $p, year: ${year}) { underLine earlyWarning } }`,
              { p: province },
            )
          ).monitoringStats[0]!;
        // A stored line is replaced only with the version read: without it, refused by name.
        const stored = (
          await ok<{ monitoringLines: { version: number }[] }>(
            `query($p: String) { monitoringLines(year: ${year}, provinceCode: $p) { version } }`,
            { p: province },
          )
        ).monitoringLines[0];
        if (stored) {
          const blind = await set({ l: 7_000 }, tokens.admin);
          expect(blind.errors?.[0]?.extensions?.argument).toBe('expectedVersion');
          expect(blind.errors?.[0]?.message).toMatch(/give expectedVersion to replace it/);
          expect(await fingerprint()).toEqual(unchanged);
        }
        // A line just under the household's income: not under it, but within 10 % above → warned.
        const low = Math.max(1_000, Math.floor(income / 1.05));
        let answer = await set({ l: low, v: stored?.version ?? null }, tokens.admin);
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.setMonitoringLine).toMatchObject({
          lineYuan: low,
          source: 'SET',
          updatedBy: 'admin',
        });
        expect(await read()).toMatchObject({ monitoringLine: low, earlyWarning: income <= low * 1.1 });
        const lowStats = await underStats();
        expect(
          (
            await ok<{ choropleth: { values: { code: string; value: number }[] } }>(
              `{ choropleth(level: PROVINCE, indicator: HOUSEHOLDS_UNDER_LINE, year: ${year}) { values { code value } } }`,
            )
          ).choropleth.values.find((v) => v.code === province)?.value,
        ).toBe(lowStats.underLine);
        // A line far above every income: every monitored household of the province is under it.
        answer = await set({ l: 100_000, v: answer.data!.setMonitoringLine.version }, tokens.admin);
        expect(answer.errors).toBeUndefined();
        expect(await read()).toMatchObject({ monitoringLine: 100_000, earlyWarning: true });
        const highStats = await underStats();
        expect(highStats.underLine).toBeGreaterThan(lowStats.underLine);
        expect(highStats.earlyWarning).toBeGreaterThanOrEqual(lowStats.earlyWarning);
        const [monitored] = await database.rows<{ n: number }>(sql`
          SELECT count(*)::int AS n FROM households WHERE county_code LIKE ${`${province}%`} AND income_year = ${year}
            AND identified_on <= ${`${year}-12-31`}::date AND (removed_on IS NULL OR removed_on > ${`${year}-12-31`}::date)`);
        expect(highStats.underLine).toBe(monitored!.n);
        // The map's indicator follows the stored line on the next request (the choropleth, and the
        // region's yearly figures behind the county panel).
        const mapped = await ok<{
          choropleth: { values: { code: string; value: number }[] };
          region: { series: { year: number; householdsUnderLine: number | null }[] };
        }>(
          `query($p: String!) {
            choropleth(level: PROVINCE, indicator: HOUSEHOLDS_UNDER_LINE, year: ${year}) { values { code value } }
            region(code: $p) { series { year householdsUnderLine } } }`,
          { p: province },
        );
        expect(mapped.choropleth.values.find((v) => v.code === province)?.value).toBe(monitored!.n);
        expect(mapped.region.series.find((s) => s.year === year)?.householdsUnderLine).toBe(monitored!.n);
        const [audit] = await database.rows<{ changes: { lineYuan: { from: number; to: number } } }>(sql`
          SELECT changes FROM audit_log WHERE action = 'monitoring_line.set' ORDER BY id DESC LIMIT 1`);
        expect(audit!.changes.lineYuan).toEqual({ from: low, to: 100_000 });
        // Lines are public.
        const lines = await ok<{
          monitoringLines: { provinceCode: string; lineYuan: number; source: string }[];
        }>(
          `query($p: String) { monitoringLines(year: ${year}, provinceCode: $p) { provinceCode lineYuan source } }`,
          { p: province },
        );
        expect(lines.monitoringLines).toEqual([{ provinceCode: province, lineYuan: 100_000, source: 'SET' }]);
      });

      it("exports a county's early-warning list to logged-in users of its region, audited, and refuses the rest", async () => {
        const scope = scopes.supervisor!;
        const [county] = await database.rows<{ code: string; n: number }>(sql`
          SELECT county_code AS code, count(*)::int AS n FROM households h
          WHERE county_code LIKE ${`${scope}%`} AND county_code NOT LIKE ${`${scopes.supervisor2}%`}
            AND status = 'monitoring'
          GROUP BY county_code ORDER BY count(*) DESC LIMIT 1`);
        const filter = encodeURIComponent(JSON.stringify({ regionCode: county!.code, earlyWarning: true }));
        const get = (path: string, token?: string) =>
          fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
        expect((await get(`/export/households.csv?filter=${filter}`)).status).toBe(401);
        const expected = (
          await ok<{ households: { totalCount: number } }>(
            'query($r: String) { households(filter: { regionCode: $r, earlyWarning: true }) { totalCount } }',
            { r: county!.code },
            tokens.admin,
          )
        ).households.totalCount;
        const answer = await get(`/export/households.csv?filter=${filter}`, tokens.supervisor);
        expect(answer.status).toBe(200);
        const rows = parse(await answer.text(), { columns: true, bom: true }) as Record<string, string>[];
        expect(rows.length).toBe(expected);
        expect(rows.every((r) => r['预警'] === '是' && r['县代码'] === county!.code)).toBe(true);
        const [entry] = await database.rows<{ username: string; note: string }>(sql`
          SELECT username, note FROM audit_log WHERE action = 'households.read' ORDER BY id DESC LIMIT 1`);
        expect(entry!.username).toBe('supervisor');
        expect(entry!.note).toContain(`export households.csv: ${expected} household row(s)`);
        // Another region's supervisor gets an empty list, not this county's households.
        const other = await get(`/export/households.csv?filter=${filter}`, tokens.supervisor2);
        expect(other.status).toBe(200);
        expect(parse(await other.text(), { columns: true, bom: true })).toEqual([]);
        const bad = await get(
          `/export/households.csv?filter=${encodeURIComponent('{"incomeUnderLinePlusPercent":-5}')}`,
          tokens.admin,
        );
        expect(bad.status).toBe(400);
        expect(
          ((await bad.json()) as { errors: { extensions: { argument: string } }[] }).errors[0]!.extensions
            .argument,
        ).toBe('filter.incomeUnderLinePlusPercent');
      });

      it('answers monitoringStats from stored counts equal to a count of the households, and counts live on a new day', async () => {
        const [{ parent }] = (await database.rows<{ parent: string }>(
          sql`SELECT left(county_code, 2) AS parent FROM households GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
        )) as [{ parent: string }];
        const queries = [
          { level: 'county', parentCode: parent, year: LAST_YEAR },
          { level: 'prefecture', parentCode: parent, year: 2022 },
          { level: 'province', parentCode: null, year: 2021 },
        ] as const;
        for (const q of queries) {
          const stored = await monitoringStats(database.db, q);
          expect(stored.length, JSON.stringify(q)).toBeGreaterThan(0);
          expect(stored).toEqual(await monitoringStatsCounted(database.db, q));
        }
        // Today's part counted yesterday (the hourly job has not run since midnight): counted live,
        // and the job brings the stored counts back to today.
        await database.db.execute(sql`UPDATE region_monitoring_today SET as_of = as_of - 1`);
        const q = queries[0];
        expect(await monitoringStats(database.db, q)).toEqual(await monitoringStatsCounted(database.db, q));
        expect(await database.db.transaction((tx) => refreshMonitoringToday(tx))).toBe(true);
        expect(await database.db.transaction((tx) => refreshMonitoringToday(tx))).toBe(false);
        const [stale] = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM region_monitoring_today WHERE as_of < (now() AT TIME ZONE 'Asia/Shanghai')::date`,
        );
        expect(stale!.n).toBe(0);
        expect(await monitoringStats(database.db, q)).toEqual(await monitoringStatsCounted(database.db, q));
      });

      it('refuses monitoring statistics that would name part of a region as the whole, and unknown regions', async () => {
        const [county] = await database.rows<{ code: string }>(
          sql`SELECT county_code AS code FROM households LIMIT 1`,
        );
        const stats = (level: string, parent: string) =>
          gql(
            `query($p: String) { monitoringStats(level: ${level}, parentCode: $p, year: ${LAST_YEAR}) { code monitored } }`,
            {
              p: parent,
            },
          );
        for (const [level, parent] of [
          ['PROVINCE', county!.code.slice(0, 4)],
          ['PROVINCE', county!.code],
          ['PREFECTURE', county!.code],
        ] as const) {
          const refused = await stats(level, parent);
          expect(errorCode(refused), `${level} ${parent}`).toBe('BAD_USER_INPUT');
          expect(refused.errors![0]!.extensions!.argument).toBe('parentCode');
        }
        expect(errorCode(await stats('COUNTY', '99'))).toBe('NOT_FOUND');
        const own = await ok<{ monitoringStats: { code: string }[] }>(
          `query($p: String) { monitoringStats(level: COUNTY, parentCode: $p, year: ${LAST_YEAR}) { code } }`,
          { p: county!.code },
        );
        expect(own.monitoringStats.map((r) => r.code)).toEqual([county!.code]);
      });

      it('refuses hostile household filters by name, before reading anything', async () => {
        for (const [filter, argument] of [
          [{ regionCode: '5x' }, 'filter.regionCode'],
          [{ regionCode: '1234567' }, 'filter.regionCode'],
          [{ incomeUnderLinePlusPercent: -1 }, 'filter.incomeUnderLinePlusPercent'],
          [{ incomeUnderLinePlusPercent: 101 }, 'filter.incomeUnderLinePlusPercent'],
          [{ identifiedFrom: '2021-13-01' }, 'filter.identifiedFrom'],
          [{ identifiedFrom: '2022-01-01', identifiedTo: '2021-01-01' }, 'filter.identifiedFrom'],
          [{ causes: Array(21).fill('ILLNESS') }, 'filter.causes'],
        ] as const) {
          const refused = await gql(
            'query($f: HouseholdFilter) { households(filter: $f) { totalCount } }',
            { f: filter },
            tokens.admin,
          );
          expect(refused.errors?.[0]?.extensions?.argument, JSON.stringify(filter)).toBe(argument);
        }
        expect(
          errorCode(
            await gql('{ households(filter: { types: [NOBODY] }) { totalCount } }', {}, tokens.admin),
          ),
        ).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(
          errorCode(await gql('{ households(first: 1001) { edges { node { id } } } }', {}, tokens.admin)),
        ).not.toBe('OK');
        const bogusCursor = await gql(
          '{ households(first: 1, after: "bm90IGEgY3Vyc29y") { edges { node { id } } } }',
          {},
          tokens.admin,
        );
        expect(errorCode(bogusCursor)).toBe('BAD_USER_INPUT');
        // Many aliases of a large page cost more than a request may.
        const aliases = Array.from(
          { length: 60 },
          (_, i) =>
            `a${i}: households(first: 1000) { edges { node { id measures { kind } history { action } } } }`,
        ).join(' ');
        const expensive = await gql(`{ ${aliases} }`, {}, tokens.admin);
        expect(errorCode(expensive)).not.toBe('OK');
        expect(expensive.errors?.[0]?.message).toMatch(/cost|expensive|limit/i);
        // Each read of a household writes an audit entry: aliases of one cannot multiply the writes,
        // and the counts from the households cannot be asked for every county of the country.
        const auditBefore = (
          await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`)
        )[0]!.n;
        const reads = Array.from({ length: 100 }, (_, i) => `r${i}: household(id: ${i + 1}) { id }`).join(
          ' ',
        );
        expect(errorCode(await gql(`{ ${reads} }`, {}, tokens.admin))).toBe('QUERY_TOO_COSTLY');
        expect(
          errorCode(
            await gql(
              '{ counties(first: 1000) { nodes { series { riskRemovedShare householdsUnderLine } } } }',
              {},
              tokens.admin,
            ),
          ),
        ).toBe('QUERY_TOO_COSTLY');
        expect(
          (await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`))[0]!.n,
        ).toBe(auditBefore);
      });
    },
  );
}
