// Inspections (回头看 / 交叉排查 / 抽查) of a listing, and recording one with the problems it found.
import { findInspections, type InspectionRow, recordInspection } from '@rrm/db';
import { requireLogin } from '../auth/policy.ts';
import { builder } from '../builder.ts';
import { sized } from '../cost.ts';
import { badInput } from '../errors.ts';
import { enumOf } from '../inputs.ts';
import { checkNewProblem, NewProblemFields } from './problems.ts';
import { count, id, idempotencyKey, oneListing, requiredDate, text, write, writer } from './workflow.ts';

const INSPECTION_KIND_LABELS = { review: '回头看', cross_check: '交叉排查', spot_check: '抽查' } as const;

const InspectionKindEnum = enumOf('InspectionKind', 'Kind of inspection.', INSPECTION_KIND_LABELS);

export const InspectionRef = builder.objectRef<InspectionRow>('Inspection').implement({
  description: '回头看 / 交叉排查 / 抽查: a dated visit with what it checked and found.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Inspection number.' }),
    listingId: t.exposeInt('listingId', { description: 'The listing inspected.' }),
    kind: t.field({ type: InspectionKindEnum, description: 'Kind.', resolve: (i) => i.kind }),
    inspectedOn: t.exposeString('inspectedOn', { description: 'Date (ISO).' }),
    inspectors: t.exposeString('inspectors', { description: 'Who inspected.' }),
    householdsChecked: t.exposeInt('householdsChecked', { description: 'Households checked.' }),
    villagesChecked: t.exposeInt('villagesChecked', { description: 'Villages checked.' }),
    findings: t.exposeString('findings', { description: 'Findings (检查发现).' }),
    createdBy: t.exposeString('createdBy', { description: 'Who recorded it.' }),
    problemsFound: t.exposeInt('problemsFound', { description: 'Problems reported with it.' }),
  }),
});

const InspectionProblemInput = builder.inputType('InspectionProblemInput', {
  description: 'A problem found by an inspection (at the listed place, found on the inspection date).',
  fields: (t) => NewProblemFields(t),
});

const RecordInspectionInput = builder.inputType('RecordInspectionInput', {
  description: 'An inspection of a listing, with the problems it found.',
  fields: (t) => ({
    listingId: t.int({ required: true, description: 'The listing inspected.' }),
    kind: t.field({ type: InspectionKindEnum, required: true, description: 'Kind.' }),
    inspectedOn: t.string({ required: true, description: 'Date (YYYY-MM-DD), not in the future.' }),
    inspectors: t.string({ required: true, description: 'Who inspected (up to 200 characters).' }),
    householdsChecked: t.int({ required: true, description: 'Households checked (0–100,000).' }),
    villagesChecked: t.int({ required: true, description: 'Villages checked (0–10,000).' }),
    findings: t.string({ required: true, description: 'Findings (up to 4,000 characters).' }),
    problems: t.field({
      type: [InspectionProblemInput],
      required: false,
      description: 'Problems found (up to 50).',
    }),
    idempotencyKey: t.string({
      required: false,
      description: 'Your key for this write (see reportProblem).',
    }),
  }),
});

builder.queryFields((t) => ({
  inspections: t.field({
    type: [InspectionRef],
    ...sized(30),
    description: 'Inspections of a listing, newest first (needs a login).',
    args: { listingId: t.arg.int({ required: true, description: 'Listing number.' }) },
    resolve: (_r, args, ctx) => {
      requireLogin(ctx.viewer, 'inspections');
      return findInspections(ctx.database.db, [args.listingId]);
    },
  }),
}));

builder.mutationFields((t) => ({
  recordInspection: t.field({
    type: InspectionRef,
    description: '记录检查: an inspection of a listing and the problems it found, in one transaction.',
    args: { input: t.arg({ type: RecordInspectionInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const actor = writer(ctx, 'recordInspection');
      if ((input.problems?.length ?? 0) > 50) throw badInput('input.problems', 'at most 50 problems at once');
      const inspection = {
        listingId: id('input.listingId', input.listingId),
        kind: input.kind,
        inspectedOn: requiredDate('input.inspectedOn', input.inspectedOn),
        inspectors: text('input.inspectors', input.inspectors, 200)!,
        householdsChecked: count('input.householdsChecked', input.householdsChecked, 100_000),
        villagesChecked: count('input.villagesChecked', input.villagesChecked, 10_000),
        findings: text('input.findings', input.findings, 4000)!,
        problems: (input.problems ?? []).map((p, i) => checkNewProblem(`input.problems[${i}]`, p)),
        idempotencyKey: idempotencyKey(input.idempotencyKey),
      };
      const inspectionId = await write(ctx, (tx) => recordInspection(tx, actor, inspection));
      const listing = await oneListing(ctx, inspection.listingId);
      const [row] = (await findInspections(ctx.database.db, [listing.id])).filter(
        (i) => i.id === inspectionId,
      );
      return row!;
    },
  }),
}));
