// 回头看 / 交叉排查 / 抽查: an inspection of a listing, with the problems it found.
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../bulk.ts';
import { appendAudit } from './audit.ts';
import { SupervisionError } from './errors.ts';
import { insertProblem, type NewProblem } from './problem-writes.ts';
import { type Actor, auditWho, createOnce, today } from './writes.ts';

export interface NewInspection {
  listingId: number;
  kind: string;
  inspectedOn: string;
  inspectors: string;
  householdsChecked: number;
  villagesChecked: number;
  findings: string;
  problems: Omit<
    NewProblem,
    'countyCode' | 'villageCode' | 'listingId' | 'inspectionId' | 'foundOn' | 'idempotencyKey'
  >[];
  idempotencyKey?: string | null;
}

/** 回头看 / 交叉排查 / 抽查, with the problems it found (reported at the listed place). */
export function recordInspection(tx: Executor, actor: Actor, i: NewInspection): Promise<number> {
  const request = {
    listingId: i.listingId,
    kind: i.kind,
    inspectedOn: i.inspectedOn,
    inspectors: i.inspectors,
    householdsChecked: i.householdsChecked,
    villagesChecked: i.villagesChecked,
    findings: i.findings,
    problems: i.problems.map((p) => ({
      category: p.category,
      department: p.department ?? null,
      departmentId: p.departmentId ?? null,
      source: p.source ?? null,
      measures: p.measures ?? null,
      responsiblePerson: p.responsiblePerson ?? null,
      description: p.description,
      deadline: p.deadline,
    })),
  };
  return createOnce(tx, actor, { key: i.idempotencyKey, operation: 'recordInspection', request }, () =>
    insertInspection(tx, actor, i),
  );
}

/** The inspection at its listing's place, and the problems it found; returns its id. */
async function insertInspection(tx: Executor, actor: Actor, i: NewInspection): Promise<number> {
  const [listing] = await queryRows<{ county: string; village: string | null; listedOn: string }>(
    tx,
    sql`SELECT county_code AS county, village_code AS village, listed_on::text AS "listedOn"
        FROM supervision_listings WHERE id = ${i.listingId}`,
  );
  if (!listing)
    throw new SupervisionError('NOT_FOUND', 'input.listingId', `there is no listing ${i.listingId}`);
  actor.authorize(listing.county);
  if (i.inspectedOn > today())
    throw new SupervisionError('BAD_USER_INPUT', 'input.inspectedOn', `${i.inspectedOn} is in the future`);
  if (i.inspectedOn < listing.listedOn)
    throw new SupervisionError(
      'BAD_USER_INPUT',
      'input.inspectedOn',
      `${i.inspectedOn} is before the place was listed (${listing.listedOn})`,
    );
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`INSERT INTO supervision_inspections (listing_id, kind, inspected_on, inspectors, households_checked,
          villages_checked, findings, created_by)
        VALUES (${i.listingId}, ${i.kind}, ${i.inspectedOn}, ${i.inspectors}, ${i.householdsChecked}, ${i.villagesChecked},
          ${i.findings}, ${actor.username})
        RETURNING id`,
  );
  await appendAudit(tx, auditWho(actor), {
    action: 'inspection.recorded',
    targetKind: 'inspection',
    targetId: row!.id,
    regionCode: listing.county,
    note: `listing ${i.listingId}, ${i.kind}, ${i.inspectedOn}, ${i.problems.length} problem(s)`,
  });
  for (const [n, p] of i.problems.entries()) {
    await insertProblem(
      tx,
      {
        ...p,
        countyCode: listing.county,
        villageCode: listing.village,
        listingId: i.listingId,
        inspectionId: row!.id,
        foundOn: i.inspectedOn,
      },
      actor,
      `input.problems[${n}]`,
    );
  }
  return row!.id;
}
