// The import history (issue #12): who imported which file into which dataset, when, and with what
// result. Needs a login as an admin or an analyst (the roles that may import).
import { DATASETS, listImports } from '@rrm/db';
import { requireLogin, requireRole } from './auth/policy.ts';
import { builder } from './builder.ts';
import { sized } from './cost.ts';

type ImportRecord = Awaited<ReturnType<typeof listImports>>[number];

const MAX_IMPORTS = 100;

const ImportRef = builder.objectRef<ImportRecord>('Import');
ImportRef.implement({
  description: 'One import of a file into a dataset (数据导入记录).',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Import number.' }),
    dataset: t.exposeString('dataset', {
      description: `The dataset: ${Object.keys(DATASETS).join(', ')}.`,
    }),
    fileName: t.exposeString('fileName', { description: 'The file’s name as imported.' }),
    sha256: t.exposeString('sha256', { description: 'SHA-256 of the file, hex.' }),
    format: t.exposeString('format', { description: 'xlsx or csv.' }),
    encoding: t.exposeString('encoding', {
      nullable: true,
      description: 'The encoding detected for a CSV: utf-8 or gb18030.',
    }),
    who: t.exposeString('who', { description: '"cli:<os user>" or "user:<username>".' }),
    at: t.exposeString('at', { description: 'When (ISO 8601).' }),
    result: t.exposeString('result', {
      description: 'applied; rejected (the file had errors, nothing was written); rolled-back.',
    }),
    rows: t.exposeInt('rows', { description: 'Data rows in the file.' }),
    newRows: t.exposeInt('newRows', { description: 'Rows that were not there before.' }),
    changedRows: t.exposeInt('changedRows', { description: 'Rows whose values the import changed.' }),
    unchangedRows: t.exposeInt('unchangedRows', { description: 'Rows already as the file says.' }),
    invalidRows: t.exposeInt('invalidRows', { description: 'Rows with at least one error.' }),
    errors: t.exposeInt('errors', { description: 'How many errors the file had.' }),
    rolledBackAt: t.exposeString('rolledBackAt', { nullable: true, description: 'When it was rolled back.' }),
    rolledBackBy: t.exposeString('rolledBackBy', { nullable: true, description: 'Who rolled it back.' }),
  }),
});

builder.queryField('imports', (t) =>
  t.field({
    type: [ImportRef],
    ...sized((args) => Math.min(Number(args.first ?? 20), MAX_IMPORTS)),
    description: 'Imports of data, newest first (admins and analysts: all; supervisors: their own).',
    args: {
      dataset: t.arg.string({ required: false, description: 'Only imports of this dataset.' }),
      first: t.arg.int({ required: false, description: `How many, 1–${MAX_IMPORTS} (default 20).` }),
    },
    resolve: (_root, args, ctx) => {
      // A supervisor sees the imports they made themselves (of their region's ledger); admins and
      // analysts every import.
      const user = requireLogin(ctx.viewer, 'imports');
      const own = user.role === 'supervisor' ? `user:${user.username}` : null;
      if (!own) requireRole(ctx.viewer, ['admin', 'analyst'], 'imports');
      const first = Math.max(1, Math.min(args.first ?? 20, MAX_IMPORTS));
      return listImports(ctx.database.db, { dataset: args.dataset ?? null, limit: first, who: own });
    },
  }),
);
