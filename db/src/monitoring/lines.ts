// Monitoring lines (监测标准): each province's yearly line, yuan per person, with where it comes
// from. Anyone may read them; admins set them. A new line moves the data version, so the map's
// monitoring colours and every cached answer follow on the next request.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { type AuditWho, appendAudit, fieldChanges } from '../supervision/audit.ts';
import { conflict, SupervisionError } from '../supervision/errors.ts';
import { MONITORING_FIRST_YEAR, type MonitoringLineSource } from '../tables/monitoring.ts';
import { refreshMonitoringFigures } from './figures.ts';
import { assertHouseholdsLoaded } from './pending.ts';

export interface MonitoringLineRow {
  provinceCode: string;
  provinceName: string;
  year: number;
  lineYuan: number;
  source: MonitoringLineSource;
  sourceNote: string | null;
  updatedBy: string | null;
  updatedAt: string;
  version: number;
}

/** The lowest and highest line the product accepts, yuan per person per year (the table's CHECK). */
export const MONITORING_LINE_RANGE = [1_000, 100_000] as const;

export function findMonitoringLines(
  db: Executor,
  where: { year?: number | null; provinceCode?: string | null },
): Promise<MonitoringLineRow[]> {
  return queryRows<MonitoringLineRow>(
    db,
    sql`SELECT l.province_code AS "provinceCode", p.name AS "provinceName", l.year, l.line_yuan AS "lineYuan",
          l.source, l.source_note AS "sourceNote", l.updated_by AS "updatedBy",
          to_char(l.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt", l.version
        FROM monitoring_lines l JOIN regions p ON p.code = l.province_code
        WHERE true ${where.year == null ? sql`` : sql`AND l.year = ${where.year}`}
          ${where.provinceCode ? sql`AND l.province_code = ${where.provinceCode}` : sql``}
        ORDER BY l.year, l.province_code`,
  );
}

export interface MonitoringLineInput {
  provinceCode: string;
  year: number;
  lineYuan: number;
  /** Where the figure comes from (the notice, its date); required, 1–300 characters. */
  sourceNote: string;
  /** The version read, when replacing a stored line (a concurrent change is refused). */
  expectedVersion?: number | null;
}

/** Sets (creates or replaces) a province's line of a year. Admins only (checked by the API). */
export async function setMonitoringLine(
  tx: Executor,
  input: MonitoringLineInput,
  who: AuditWho & { username: string },
): Promise<void> {
  await assertHouseholdsLoaded(tx);
  const bad = (field: string, message: string) => new SupervisionError('BAD_USER_INPUT', field, message);
  const [low, high] = MONITORING_LINE_RANGE;
  if (!Number.isInteger(input.lineYuan) || input.lineYuan < low || input.lineYuan > high)
    throw bad('lineYuan', `must be a whole number of yuan from ${low} to ${high}, got ${input.lineYuan}`);
  if (!Number.isInteger(input.year) || input.year < MONITORING_FIRST_YEAR || input.year > 2100)
    throw bad(
      'year',
      `monitoring lines start in ${MONITORING_FIRST_YEAR} (the mechanism's first year); got ${input.year}`,
    );
  const note = input.sourceNote.trim();
  if (!note || note.length > 300)
    throw bad('sourceNote', 'say where the line comes from (the notice and its date), 1–300 characters');
  const [province] = await queryRows<{ code: string }>(
    tx,
    sql`SELECT code FROM regions WHERE code = ${input.provinceCode} AND level = 'province'`,
  );
  if (!province) throw bad('provinceCode', `there is no province ${input.provinceCode}`);
  const [before] = await queryRows<{ lineYuan: number; sourceNote: string | null; version: number }>(
    tx,
    sql`SELECT line_yuan AS "lineYuan", source_note AS "sourceNote", version FROM monitoring_lines
        WHERE province_code = ${input.provinceCode} AND year = ${input.year} FOR UPDATE`,
  );
  const key = `${input.provinceCode}/${input.year}`;
  // A stored line (a published one too) is replaced only by someone who read it: the old value
  // would otherwise survive only in the audit log.
  if (before && input.expectedVersion == null)
    throw bad(
      'expectedVersion',
      `the line ${key} is stored (version ${before.version}, ${before.lineYuan} yuan): give expectedVersion to replace it`,
    );
  if (before && input.expectedVersion != null && before.version !== input.expectedVersion)
    throw conflict('monitoring line', key, input.expectedVersion, before.version);
  if (!before && input.expectedVersion != null)
    throw new SupervisionError('NOT_FOUND', 'expectedVersion', `there is no stored line ${key} to replace`);
  await tx.execute(sql`INSERT INTO monitoring_lines (province_code, year, line_yuan, source, source_note, updated_by)
    VALUES (${input.provinceCode}, ${input.year}, ${input.lineYuan}, 'set', ${note}, ${who.username})
    ON CONFLICT (province_code, year) DO UPDATE SET line_yuan = excluded.line_yuan, source = 'set',
      source_note = excluded.source_note, updated_by = excluded.updated_by, updated_at = now(),
      version = monitoring_lines.version + 1`);
  await appendAudit(tx, who, {
    action: 'monitoring_line.set',
    targetKind: 'monitoring_line',
    targetId: key,
    regionCode: input.provinceCode,
    changes: fieldChanges(
      { lineYuan: before?.lineYuan ?? null, sourceNote: before?.sourceNote ?? null },
      { lineYuan: input.lineYuan, sourceNote: note },
    ),
  });
  await refreshMonitoringFigures(tx, input.provinceCode);
  await bumpDataVersion(tx);
}
