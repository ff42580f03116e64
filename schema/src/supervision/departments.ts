// The department registry (责任单位): each county's departments, read by anyone logged in and kept
// by admins. A problem names one as its responsible department; a department user belongs to one.
import {
  createDepartment,
  DEPARTMENT_KIND_LABELS,
  type DepartmentRow,
  findDepartments,
  MAX_DEPARTMENTS_PER_COUNTY,
  updateDepartment,
} from '@rrm/db';
import { GraphQLError } from 'graphql';
import { requireLogin, requireRole } from '../auth/policy.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { sized } from '../cost.ts';
import { enumOf, regionCodePrefix } from '../inputs.ts';
import { auditWhoOf, id, write } from './workflow.ts';

export const DepartmentKindEnum = enumOf(
  'DepartmentKind',
  'The kind of a county department (责任单位).',
  DEPARTMENT_KIND_LABELS,
);

export const DepartmentRef = builder.objectRef<DepartmentRow>('Department').implement({
  description: '责任单位: a department of one county that signs for, rectifies and answers for problems.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Department number.' }),
    countyCode: t.exposeString('countyCode', { description: 'Its county.' }),
    countyName: t.exposeString('countyName', { description: '县.' }),
    name: t.exposeString('name', { description: 'Name, unique in the county (e.g. 县住建局).' }),
    kind: t.field({ type: DepartmentKindEnum, description: 'Kind.', resolve: (d) => d.kind }),
    contact: t.exposeString('contact', { nullable: true, description: '联系人 and telephone.' }),
    problems: t.exposeInt('problems', { description: 'Problems it answers for.' }),
    openProblems: t.exposeInt('openProblems', { description: 'Of them, not closed (未销号).' }),
    version: t.exposeInt('version', { description: 'Version, for concurrent edits.' }),
  }),
});

builder.queryFields((t) => ({
  departments: t.field({
    type: [DepartmentRef],
    // Each department counts its problems in a query of its own.
    ...sized(MAX_DEPARTMENTS_PER_COUNTY, { queryCost: 2 * MAX_DEPARTMENTS_PER_COUNTY }),
    description: "A county's departments (责任单位), by name (needs a login).",
    args: { countyCode: t.arg.string({ required: true, description: '6-digit county code.' }) },
    resolve: (_r, args, ctx) => {
      requireLogin(ctx.viewer, 'the department registry');
      const county = regionCodePrefix('countyCode', args.countyCode, [6])!;
      return findDepartments(ctx.database.db, { countyCodes: [county] });
    },
  }),
}));

async function oneDepartment(ctx: Context, departmentId: number): Promise<DepartmentRow> {
  const [row] = await findDepartments(ctx.database.db, { ids: [departmentId] });
  if (!row)
    throw new GraphQLError(`there is no department ${departmentId}`, { extensions: { code: 'NOT_FOUND' } });
  return row;
}

const DepartmentInput = builder.inputType('DepartmentInput', {
  description: 'A department as the registry keeps it.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Name, unique in the county (1–50 characters).' }),
    kind: t.field({ type: DepartmentKindEnum, required: true, description: 'Kind.' }),
    contact: t.string({ required: false, description: '联系人 and telephone (up to 100 characters).' }),
  }),
});

builder.mutationFields((t) => ({
  createDepartment: t.field({
    type: DepartmentRef,
    description: `Adds a department to a county's registry (admins only; at most ${MAX_DEPARTMENTS_PER_COUNTY} per county).`,
    args: {
      countyCode: t.arg.string({ required: true, description: '6-digit county code.' }),
      input: t.arg({ type: DepartmentInput, required: true }),
    },
    resolve: async (_r, args, ctx) => {
      const admin = requireRole(ctx.viewer, ['admin'], 'createDepartment');
      const county = regionCodePrefix('countyCode', args.countyCode, [6])!;
      const departmentId = await write(ctx, async (tx) => {
        const existing = await findDepartments(tx, { countyCodes: [county] });
        if (existing.length >= MAX_DEPARTMENTS_PER_COUNTY)
          throw new GraphQLError(
            `county ${county} already has ${existing.length} departments, the most a registry keeps`,
            { extensions: { code: 'BAD_USER_INPUT', argument: 'countyCode' } },
          );
        return createDepartment(tx, county, args.input, auditWhoOf(ctx, admin));
      });
      return oneDepartment(ctx, departmentId);
    },
  }),
  updateDepartment: t.field({
    type: DepartmentRef,
    description:
      "Renames a department or changes its kind or contact (admins only); its problems' 责任单位 text follows a rename.",
    args: {
      id: t.arg.int({ required: true, description: 'Department number.' }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      input: t.arg({ type: DepartmentInput, required: true }),
    },
    resolve: async (_r, args, ctx) => {
      const admin = requireRole(ctx.viewer, ['admin'], 'updateDepartment');
      const departmentId = id('id', args.id);
      await write(ctx, (tx) =>
        updateDepartment(
          tx,
          { id: departmentId, expectedVersion: args.expectedVersion, ...args.input },
          auditWhoOf(ctx, admin),
        ),
      );
      return oneDepartment(ctx, departmentId);
    },
  }),
}));
