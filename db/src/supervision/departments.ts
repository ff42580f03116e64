// The department registry (责任单位): each county's departments that sign for, rectify and answer
// for problems. Admins create and edit them; a problem's department and a department user's
// department are rows here. Names are unique within a county.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows, sqlList } from '../bulk.ts';
import { bumpDataVersion } from '../queries/dataset.ts';
import { DEPARTMENT_KIND_LABELS, type DepartmentKind, type departments } from '../tables/supervision.ts';
import { type AuditWho, appendAudit, fieldChanges } from './audit.ts';
import { conflict, SupervisionError } from './errors.ts';

/** The most departments a county's registry keeps (the API and the import refuse more). */
export const MAX_DEPARTMENTS_PER_COUNTY = 100;

/** A department with its county's name and how many problems it answers for, open ones apart. */
export type DepartmentRow = typeof departments.$inferSelect & {
  countyName: string;
  problems: number;
  openProblems: number;
};

const COLUMNS = sql`d.id, d.county_code AS "countyCode", c.name AS "countyName", d.name, d.kind, d.contact, d.version,
  (SELECT count(*)::int FROM supervision_problems p WHERE p.department_id = d.id) AS problems,
  (SELECT count(*)::int FROM supervision_problems p WHERE p.department_id = d.id AND p.status <> 'closed') AS "openProblems"`;

/** The departments of some counties (or of some ids), by county then name. */
export function findDepartments(
  db: Executor,
  where: { countyCodes?: readonly string[]; ids?: readonly number[] },
): Promise<DepartmentRow[]> {
  const condition = where.ids
    ? where.ids.length
      ? sql`d.id IN ${sqlList(where.ids)}`
      : sql`false`
    : where.countyCodes?.length
      ? sql`d.county_code IN ${sqlList(where.countyCodes)}`
      : sql`false`;
  return queryRows<DepartmentRow>(
    db,
    sql`SELECT ${COLUMNS} FROM departments d JOIN regions c ON c.code = d.county_code
        WHERE ${condition} ORDER BY d.county_code, d.name, d.id`,
  );
}

export interface DepartmentInput {
  name: string;
  kind: string;
  contact?: string | null;
}

/** Checks a department as it will be stored; throws BAD_USER_INPUT naming the field. */
export function checkDepartment(
  field: string,
  d: DepartmentInput,
): { name: string; kind: DepartmentKind; contact: string | null } {
  const bad = (f: string, message: string) =>
    new SupervisionError('BAD_USER_INPUT', `${field}.${f}`, message);
  const name = d.name.trim();
  if (!name || name.length > 50) throw bad('name', 'must be 1–50 characters');
  if (!(d.kind in DEPARTMENT_KIND_LABELS))
    throw bad('kind', `unknown kind "${d.kind}"; one of ${Object.keys(DEPARTMENT_KIND_LABELS).join(', ')}`);
  const contact = d.contact?.trim() || null;
  if (contact && contact.length > 100) throw bad('contact', `at most 100 characters, got ${contact.length}`);
  return { name, kind: d.kind as DepartmentKind, contact };
}

/** A name already taken in the county is refused by name (the unique key would say less). */
async function checkNameFree(tx: Executor, countyCode: string, name: string, field: string, self?: number) {
  const [taken] = await queryRows<{ id: number }>(
    tx,
    sql`SELECT id FROM departments WHERE county_code = ${countyCode} AND name = ${name}
        ${self == null ? sql`` : sql`AND id <> ${self}`}`,
  );
  if (taken)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      `${field}.name`,
      `county ${countyCode} already has a department "${name}" (department ${taken.id})`,
    );
}

export async function createDepartment(
  tx: Executor,
  countyCode: string,
  input: DepartmentInput,
  /** Who adds it, for the audit log. */
  who: AuditWho,
): Promise<number> {
  const d = checkDepartment('input', input);
  const [county] = await queryRows<{ code: string }>(
    tx,
    sql`SELECT code FROM regions WHERE code = ${countyCode} AND level = 'county'`,
  );
  if (!county)
    throw new SupervisionError('BAD_USER_INPUT', 'input.countyCode', `there is no county ${countyCode}`);
  await checkNameFree(tx, countyCode, d.name, 'input');
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`INSERT INTO departments (county_code, name, kind, contact) VALUES (${countyCode}, ${d.name}, ${d.kind}, ${d.contact})
        RETURNING id`,
  );
  await appendAudit(tx, who, {
    action: 'department.created',
    targetKind: 'department',
    targetId: row!.id,
    regionCode: countyCode,
    changes: fieldChanges({ name: null, kind: null, contact: null }, d),
  });
  return row!.id;
}

/**
 * Renames or re-kinds a department. Its problems carry its name as their 责任单位 text, so a
 * rename is written to them too (the same transaction), and the ledger shows the new name.
 */
export async function updateDepartment(
  tx: Executor,
  change: { id: number; expectedVersion: number } & DepartmentInput,
  /** Who changes it: named in the audit log and in the history of each problem a rename touches. */
  who: AuditWho & { username: string },
): Promise<void> {
  const d = checkDepartment('input', change);
  const by = who.username;
  const [row] = await queryRows<{
    countyCode: string;
    version: number;
    name: string;
    kind: string;
    contact: string | null;
  }>(
    tx,
    sql`SELECT county_code AS "countyCode", version, name, kind, contact FROM departments WHERE id = ${change.id} FOR UPDATE`,
  );
  if (!row) throw new SupervisionError('NOT_FOUND', 'id', `there is no department ${change.id}`);
  if (row.version !== change.expectedVersion)
    throw conflict('department', change.id, change.expectedVersion, row.version);
  await checkNameFree(tx, row.countyCode, d.name, 'input', change.id);
  await tx.execute(sql`UPDATE departments SET name = ${d.name}, kind = ${d.kind}, contact = ${d.contact},
      version = version + 1 WHERE id = ${change.id}`);
  await appendAudit(tx, who, {
    action: 'department.updated',
    targetKind: 'department',
    targetId: change.id,
    regionCode: row.countyCode,
    changes: fieldChanges({ name: row.name, kind: row.kind, contact: row.contact }, d),
  });
  if (d.name !== row.name) {
    // Each problem's 责任单位 text changes like any edit: a new version (so that a file exported
    // before cannot write the old name back unseen) and an entry in its history.
    await tx.execute(sql`INSERT INTO supervision_problem_history (problem_id, changed_by, action, note, changes)
      SELECT id, ${by}, 'department renamed', NULL,
        jsonb_build_object('department', jsonb_build_object('from', department, 'to', ${d.name}::text))
      FROM supervision_problems WHERE department_id = ${change.id}`);
    await tx.execute(sql`UPDATE supervision_problems SET department = ${d.name}, version = version + 1
      WHERE department_id = ${change.id}`);
    await bumpDataVersion(tx);
  }
}
