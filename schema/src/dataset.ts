// What data is loaded: the demo dataset always says it is generated, part by part: an imported
// part (details.parts[name], written by the import pipeline) is no longer called generated.
import { DATASETS } from '@rrm/db';
import { builder } from './builder.ts';
import { sized } from './cost.ts';

interface PartSource {
  name: string;
  kind: 'generated' | 'imported' | 'published';
  file: string | null;
  at: string | null;
}

const PartKindEnum = builder.enumType('DatasetPartKind', {
  description: 'Where a part of the data comes from.',
  values: {
    GENERATED: { value: 'generated', description: 'Generated demo data (演示数据).' },
    IMPORTED: { value: 'imported', description: 'Imported from a user’s file (导入).' },
    PUBLISHED: { value: 'published', description: 'A published list shipped with the product.' },
  } as const,
});

const PartRef = builder.objectRef<PartSource>('DatasetPart');
PartRef.implement({
  description: 'One part of the data and where it comes from.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'The part, named as its import dataset (villages, village-years, …).',
    }),
    kind: t.field({
      type: PartKindEnum,
      description: 'Generated, imported or published.',
      resolve: (p) => p.kind,
    }),
    file: t.exposeString('file', { nullable: true, description: 'The file it was imported from.' }),
    at: t.exposeString('at', { nullable: true, description: 'When it was imported (ISO 8601).' }),
  }),
});

/** Every importable part, then any other part the details record; unrecorded parts of a demo are generated. */
function parts(d: { kind: 'demo' | 'imported'; details: Record<string, unknown> }): PartSource[] {
  const recorded = (d.details.parts ?? {}) as Record<
    string,
    { kind?: string; file?: string; importedAt?: string; at?: string }
  >;
  const names = [...new Set([...Object.keys(DATASETS), ...Object.keys(recorded)])];
  return names.map((name) => {
    const r = recorded[name];
    const kind = r?.kind === 'imported' || r?.kind === 'published' || r?.kind === 'generated' ? r.kind : null;
    return {
      name,
      kind: kind ?? (d.kind === 'demo' ? 'generated' : 'imported'),
      file: r?.file ?? null,
      at: r?.importedAt ?? r?.at ?? null,
    };
  });
}

const DatasetRef = builder.objectRef<{
  label: string;
  kind: 'demo' | 'imported';
  details: Record<string, unknown>;
  dataVersion: number;
  loadedAt: string;
}>('Dataset');

DatasetRef.implement({
  description:
    'The dataset loaded (数据集). Demo data is generated: real places, synthetic figures and designations.',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'What the data is; show it wherever the data is shown.' }),
    demo: t.boolean({
      description: 'True for the generated demo dataset (演示数据).',
      resolve: (d) => d.kind === 'demo',
    }),
    scale: t.string({
      nullable: true,
      description: 'Demo scale: tiny, province or national.',
      resolve: (d) => (d.details.scale as string) ?? null,
    }),
    parts: t.field({
      type: [PartRef],
      // The importable datasets and the designation lists: a handful, never more than this.
      ...sized(16),
      description: 'Where each part of the data comes from: generated, imported or published.',
      resolve: (d) => parts(d),
    }),
    dataVersion: t.exposeInt('dataVersion', {
      description: 'Increases with every change to the data (cache key for tiles).',
    }),
    loadedAt: t.exposeString('loadedAt', { description: 'When the data was loaded (ISO 8601).' }),
  }),
});

builder.queryField('dataset', (t) =>
  t.field({
    type: DatasetRef,
    nullable: true,
    description: 'The dataset loaded; null on an empty database.',
    resolve: (_root, _args, ctx) => ctx.loaders.dataset(),
  }),
);
