// The supervision flow in Chromium, on both backends: a supervisor logs in, reports a problem at a
// listed place in their region and moves it to rectified; a supervisor of another region sees the
// same place read only; the leader's map counts the new open problem.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, ledgerToday, openDatabase, reminderLevel, runReminders } from '@rrm/db';
import { DEMO_PASSWORD } from '@rrm/db/seed';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SUPERVISION_DATABASE, withDatabase } from '../global-setup.ts';
import { browserSkipOn, closeBrowserTest, openBrowser, SCREENSHOTS } from '../support/browser.ts';
import { loginAs, startTestServer, type TestServer } from '../support/http.ts';

for (const backend of ['pglite', 'postgres'] as const) {
  const reason = browserSkipOn(backend);
  describe.skipIf(reason)(
    `supervision in Chromium on ${backend}${reason ? ` (skipped: ${reason})` : ''}`,
    () => {
      let server: TestServer;
      let database: Database;
      let context: BrowserContext;
      let page: Page;
      let dataDir = '';
      const external: string[] = [];
      const shot = (name: string) => join(SCREENSHOTS, backend === 'pglite' ? name : `postgres-${name}`);

      beforeAll(async () => {
        if (backend === 'pglite') {
          dataDir = mkdtempSync(join(tmpdir(), 'rrm-e2e-supervision-'));
          cpSync(inject('pgliteProvinceDir'), dataDir, { recursive: true });
          database = await openDatabase({ dataDir });
        } else {
          database = await openDatabase({
            url: withDatabase(inject('postgresAdminUrl'), SUPERVISION_DATABASE),
          });
        }
        server = await startTestServer(database);
        context = await openBrowser(external);
        page = await context.newPage();
      }, 120_000);

      afterAll(() => closeBrowserTest({ context, server, database, dataDir }));

      async function logIn(username: string) {
        await page.goto(`${server.url}/supervision`);
        await page.waitForURL(/\/login\?next=/);
        await page.getByTestId('login-username').fill(username);
        await page.getByTestId('login-password').fill(DEMO_PASSWORD);
        await page.getByTestId('login-submit').click();
        await page.waitForURL(/\/supervision$/);
        await page.getByTestId('listings').locator('tbody tr').first().waitFor();
        // The login lives in an HttpOnly cookie only: nothing page script could read or steal.
        const [cookie] = (await context.cookies()).filter((c) => c.name === 'rrm_session');
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
        const readable = await page.evaluate(() => document.cookie + JSON.stringify({ ...localStorage }));
        expect(readable).not.toContain(cookie!.value);
        expect(readable).not.toContain('rrm_session');
      }

      const openCount = async () => {
        const token = await loginAs(server, 'leader');
        const r = await server.graphql<{ regionStats: { isTotal: boolean; openProblems: number }[] }>(
          '{ regionStats(level: PROVINCE, year: 2021) { isTotal openProblems } }',
          {},
          { token },
        );
        return r.data!.regionStats.find((x) => x.isTotal)!.openProblems;
      };

      let listingPath = '';

      it('lets a supervisor report a problem in their region and move it to rectified', {
        timeout: 120_000,
      }, async () => {
        const before = await openCount();
        await logIn('supervisor');
        await expect(page.getByTestId('who').textContent()).resolves.toMatch(/supervisor · 督战范围 \d{4}/);
        // The map beside the list draws the listed places by status.
        await page.waitForFunction(
          () => {
            const h = (
              window as unknown as {
                __rrm?: {
                  map: {
                    loaded(): boolean;
                    areTilesLoaded(): boolean;
                    queryRenderedFeatures(o: { layers: string[] }): unknown[];
                  };
                };
              }
            ).__rrm;
            return (
              !!h &&
              h.map.loaded() &&
              h.map.areTilesLoaded() &&
              h.map.queryRenderedFeatures({ layers: ['supervision-county', 'supervision-village'] }).length >
                0
            );
          },
          undefined,
          { timeout: 60_000 },
        );
        await page.screenshot({ path: shot('supervision-list-zh.png') });
        const link = page.getByTestId('listings').locator('tbody tr a').first();
        listingPath = (await link.getAttribute('href'))!;
        await link.click();
        await page.getByTestId('report-form').waitFor();
        const rowsBefore = await page.getByTestId('ledger').locator('tbody tr').count();

        await page.getByTestId('report-category').selectOption('DRINKING_WATER');
        await page.getByTestId('report-department').fill('县水务局');
        await page.getByTestId('report-description').fill('浏览器测试：集中供水点水压不足');
        await page.getByTestId('report-deadline').fill('2027-03-31');
        await page.getByTestId('report-submit').click();
        const row = page
          .getByTestId('ledger')
          .locator('tbody tr', { hasText: '浏览器测试：集中供水点水压不足' });
        await row.waitFor();
        expect(await page.getByTestId('ledger').locator('tbody tr').count()).toBe(rowsBefore + 1);
        await expect(row.getByTestId('problem-status').textContent()).resolves.toBe('待整改');

        for (const [next, shown] of [
          ['IN_PROGRESS', '整改中'],
          ['RECTIFIED', '已整改'],
        ] as const) {
          await row.getByTestId('next-status').selectOption(next);
          // Marking it rectified submits the measures with it.
          if (next === 'RECTIFIED') await row.getByTestId('move-measures').fill('加压泵已更换，水压达标');
          await row.getByTestId('move').click();
          await page.waitForFunction(
            ([text, status]) =>
              Array.from(document.querySelectorAll('[data-testid=ledger] tbody tr')).some(
                (tr) =>
                  tr.textContent?.includes(text!) &&
                  tr.querySelector('[data-testid=problem-status]')?.textContent === status,
              ),
            ['浏览器测试：集中供水点水压不足', shown],
          );
        }
        await page.screenshot({ path: shot('supervision-place-zh.png'), fullPage: true });
        // Rectified is not closed (销号): it still counts as open, one more than before.
        expect(await openCount()).toBe(before + 1);
        // The leader's map shows the new count on its next request.
        await page.goto(`${server.url}/?year=2021`);
        await page.getByTestId('kpi-problems').waitFor();
        await expect(page.getByTestId('kpi-problems').locator('.kpi-value').textContent()).resolves.toMatch(
          new RegExp(`^${before + 1} /`),
        );
      });

      it('lets a supervisor list a village of their region (挂牌) from the list page, and refuses one outside it by name', {
        timeout: 90_000,
      }, async () => {
        await page.goto(`${server.url}/supervision`);
        await page.getByTestId('listings').locator('tbody tr').first().waitFor();
        const token = await loginAs(server, 'admin');
        const users = await server.graphql<{ users: { username: string; regionScope: string | null }[] }>(
          '{ users { username regionScope } }',
          {},
          { token },
        );
        const scope = users.data!.users.find((u) => u.username === 'supervisor')!.regionScope!;
        const [village] = await database.rows<{ code: string; county: string }>(sql`
          SELECT v.code, v.county_code AS county FROM villages v
          WHERE starts_with(v.county_code, ${scope})
            AND NOT EXISTS (SELECT 1 FROM supervision_listings l WHERE l.village_code = v.code)
          ORDER BY v.code LIMIT 1`);
        const form = page.getByTestId('new-listing');
        await form.locator('summary').click();
        // Outside the supervisor's region: the server's refusal is shown, nothing is listed.
        await page.getByTestId('new-listing-county').fill('110101');
        await page.getByTestId('new-listing-unit').fill('浏览器测试督战组');
        await page.getByTestId('new-listing-submit').click();
        await expect(form.getByRole('alert').textContent()).resolves.toContain('outside your region');
        await page.getByTestId('new-listing-county').fill(village!.county);
        await page.getByTestId('new-listing-village').fill(village!.code);
        await page.getByTestId('new-listing-submit').click();
        // The new listing's page opens, its history starting with the listing.
        await page.waitForURL(/\/supervision\/listings\/\d+/);
        await expect(page.getByTestId('listing-history').textContent()).resolves.toMatch(
          /^\d{4}-\d\d-\d\d 挂牌（supervisor）$/,
        );
        await expect(page.getByTestId('place').textContent()).resolves.not.toBe('');
      });

      it('shows another region’s supervisor the same place read only', { timeout: 90_000 }, async () => {
        await page.goto(`${server.url}/supervision`);
        await page.getByTestId('logout').click();
        // The logout mutation ended the session and cleared the cookie; the page goes to the login.
        await page.waitForURL(/\/login\?next=/);
        expect((await context.cookies()).some((c) => c.name === 'rrm_session' && c.value)).toBe(false);
        await logIn('supervisor2');
        await page.goto(`${server.url}${listingPath}`);
        await page.getByTestId('read-only').waitFor();
        expect(await page.getByTestId('report-form').count()).toBe(0);
        expect(await page.getByTestId('move').count()).toBe(0);
        // The ledger itself is readable: the problem reported above is there.
        await expect(page.getByTestId('ledger').textContent()).resolves.toContain(
          '浏览器测试：集中供水点水压不足',
        );
        // The page switches to English and keeps the language when moving on.
        await page.getByTestId('language').click();
        await page.waitForURL(/lang=en/);
        await expect(page.getByTestId('read-only').textContent()).resolves.toBe(
          'Read only: outside your region',
        );
        await expect(page.getByTestId('logout').textContent()).resolves.toBe('Log out');
        expect(external).toEqual([]);
      });

      it('lets a department sign for and rectify its problem, and a supervisor verify and close it; the county’s overdue count follows', {
        timeout: 180_000,
      }, async () => {
        // The demo department user's department, and a listing of its county.
        const admin = await loginAs(server, 'admin');
        const who = await server.graphql<{
          users: { username: string; departmentId: number | null; regionScope: string }[];
        }>('{ users { username departmentId regionScope } }', {}, { token: admin });
        const department = who.data!.users.find((u) => u.username === 'department')!;
        const county = department.regionScope;
        const facts = await server.graphql<{
          departments: { id: number; name: string }[];
          listings: { nodes: { id: number; villageCode: string | null }[] };
        }>(
          'query($c: String!) { departments(countyCode: $c) { id name } listings(filter: { regionCode: $c }) { nodes { id villageCode } } }',
          { c: county },
          { token: admin },
        );
        const name = facts.data!.departments.find((d) => d.id === department.departmentId)!.name;
        const listing = facts.data!.listings.nodes[0]!;
        const overdue = async () =>
          (
            await server.graphql<{ county: { overdueProblems: number } }>(
              'query($c: String!) { county(code: $c) { overdueProblems } }',
              { c: county },
            )
          ).data!.county.overdueProblems;
        const overdueBefore = await overdue();
        const description = '浏览器测试：危房改造未验收（责任单位流程）';

        // The supervisor reports it to the registered department, already past its deadline.
        await page.goto(`${server.url}/supervision`);
        await page.getByTestId('logout').click();
        await page.waitForURL(/\/login\?next=/);
        await logIn('supervisor');
        await page.goto(`${server.url}/supervision/listings/${listing.id}`);
        await page.getByTestId('report-department-id').selectOption(String(department.departmentId));
        expect(await page.getByTestId('report-department').count()).toBe(0);
        await page.getByTestId('report-category').selectOption('HOUSING_SAFETY');
        await page.getByTestId('report-description').fill(description);
        await page.locator('[data-testid=report-form] input[name=foundOn]').fill('2026-10-01');
        await page.getByTestId('report-deadline').fill('2026-10-31');
        await page.getByTestId('report-submit').click();
        await page.getByTestId('ledger').locator('tbody tr', { hasText: description }).waitFor();
        expect(await overdue()).toBe(overdueBefore + 1);

        // The department sees its own problems only, and its open work on the first page.
        await page.getByTestId('logout').click();
        await page.waitForURL(/\/login\?next=/);
        await logIn('department');
        await page.getByTestId('my-problems').getByText(description).waitFor();
        // Today's reminders are recorded (the server's hourly job, run here at once).
        await runReminders(database, { channels: [], who: { userId: null, username: 'system:e2e' } });
        // The header counts its overdue work, and the deadlines view lists it under the department.
        await page.getByTestId('deadline-badge').click();
        await page.waitForURL(/\/supervision\/deadlines$/);
        const listed = page.getByTestId('overdue-list').locator('div', { hasText: description });
        await listed.waitFor();
        await expect(listed.locator('h4').textContent()).resolves.toMatch(
          new RegExp(` · ${name} \\(\\d+\\)$`),
        );
        // …and among today's reminders, sent as far as its days overdue escalate it.
        const daysOverdue = (Date.parse(ledgerToday()) - Date.parse('2026-10-31')) / 86_400_000;
        const reminded = page.getByTestId('reminders').locator('tr', { hasText: description });
        await reminded.waitFor();
        await expect(reminded.getAttribute('data-level')).resolves.toBe(
          ['DEPARTMENT', 'SUPERVISOR', 'ADMIN'][reminderLevel(daysOverdue)],
        );
        await expect(reminded.locator('td.number').textContent()).resolves.toBe(String(daysOverdue));
        await page.screenshot({ path: shot('supervision-deadlines-zh.png'), fullPage: true });
        await page.goto(`${server.url}/supervision/listings/${listing.id}`);
        await page.getByTestId('department-only').waitFor();
        // The listing's own history: listed (挂牌) first, on its date, by its supervising unit.
        await expect(page.getByTestId('listing-history').textContent()).resolves.toMatch(
          /^\d{4}-\d\d-\d\d 挂牌（/,
        );
        expect(await page.getByTestId('report-form').count()).toBe(0);
        const departments = await page
          .getByTestId('ledger')
          .locator('tbody tr[data-testid^=problem-] td:nth-child(4)')
          .allTextContents();
        expect(departments.length).toBeGreaterThan(0);
        expect(new Set(departments)).toEqual(new Set([name]));
        const row = page.getByTestId('ledger').locator('tbody tr', { hasText: description });
        const waitForStatus = (shown: string) =>
          page.waitForFunction(
            ([text, status]) =>
              Array.from(document.querySelectorAll('[data-testid=ledger] tbody tr')).some(
                (tr) =>
                  tr.textContent?.includes(text!) &&
                  tr.querySelector('[data-testid=problem-status]')?.textContent === status,
              ),
            [description, shown],
          );
        // A department is offered its own moves only: no close.
        expect(await row.getByTestId('next-status').locator('option').allTextContents()).toEqual([
          '已签收',
          '整改中',
          '已整改',
        ]);
        for (const [next, shown] of [
          ['SIGNED', '已签收'],
          ['IN_PROGRESS', '整改中'],
          ['RECTIFIED', '已整改'],
        ] as const) {
          await row.getByTestId('next-status').selectOption(next);
          if (next === 'RECTIFIED') {
            await row.getByTestId('move-measures').fill('完成危房改造，组织竣工验收');
            // 佐证材料: a photo of the finished work, uploaded and attached with the rectification.
            await row.getByTestId('move-evidence').setInputFiles({
              name: '竣工照片.png',
              mimeType: 'image/png',
              buffer: await sharp({
                create: { width: 900, height: 600, channels: 3, background: '#6a9f5b' },
              })
                .composite([
                  {
                    input: Buffer.from(
                      '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600"><rect x="250" y="150" width="400" height="300" fill="#d9c7a0" stroke="#5a4630" stroke-width="12"/><polygon points="220,160 450,40 680,160" fill="#8b3a2b"/></svg>',
                    ),
                  },
                ])
                .png()
                .toBuffer(),
            });
          }
          await row.getByTestId('move').click();
          await waitForStatus(shown);
        }
        // Rectified: the department has no move left.
        expect(await row.getByTestId('next-status').count()).toBe(0);
        await page.screenshot({ path: shot('supervision-department-zh.png'), fullPage: true });

        // The supervisor verifies and closes it (销号); the record shows who did what.
        await page.getByTestId('logout').click();
        await page.waitForURL(/\/login\?next=/);
        await logIn('supervisor');
        await page.goto(`${server.url}/supervision/listings/${listing.id}`);
        await row.getByTestId('next-status').selectOption('CLOSED');
        await row.getByTestId('move-note').fill('现场复核通过');
        await row.getByTestId('move').click();
        await waitForStatus('已销号');
        await row.locator('button.link').click();
        const details = page.getByTestId('problem-details');
        await details.getByText('现场复核通过').waitFor();
        const text = await details.textContent();
        expect(text).toContain('完成危房改造，组织竣工验收');
        // The evidence is there for the verifier: the photo's thumbnail loads (the login's cookie,
        // the page's CSP), and the history names the file.
        const thumbnail = page.getByTestId('evidence').locator('img[alt="竣工照片.png"]');
        await thumbnail.waitFor();
        await page.waitForFunction(
          () =>
            (document.querySelector('[data-testid=evidence] img') as HTMLImageElement | null)
              ?.naturalWidth === 320,
        );
        await expect(page.locator('tr.history').textContent()).resolves.toContain(
          'evidence: — → 竣工照片.png',
        );
        expect(text).toContain('department ·');
        expect(text).toMatch(/supervisor · .* · 通过 · 现场复核通过/);
        await details.scrollIntoViewIfNeeded();
        await page.screenshot({ path: shot('supervision-verified-zh.png') });
        // The county's ledger sheet, as offices print it, has the closed problem with its measures.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId('ledger-sheet').click(),
        ]);
        expect(download.suggestedFilename()).toMatch(/问题整改台账\.xlsx$/);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.readFile(await download.path());
        const sheet = workbook.getWorksheet('问题整改台账')!;
        const rows = sheet.getRows(5, sheet.rowCount - 4) ?? [];
        const filed = rows.find((r) => r.getCell(6).value === description);
        expect(filed?.getCell(9).value).toBe('完成危房改造，组织竣工验收');
        expect(String(filed?.getCell(11).value)).toMatch(/^已销号/);
        expect(await overdue()).toBe(overdueBefore);
        expect(external).toEqual([]);
      });

      it('runs the GraphQL explorer under the Content-Security-Policy', { timeout: 60_000 }, async () => {
        await page.goto(`${server.url}/explorer/`);
        await page.locator('.graphiql-execute-button').click();
        await page.locator('.result-window').getByText('"label"').first().waitFor();
        // Any CSP violation (inline script, eval, a blocked worker or font) is in `external`.
        expect(external).toEqual([]);
      });
    },
  );
}
