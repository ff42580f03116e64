// What data is loaded: the demo dataset always says it is generated.
import { builder } from './builder.ts';

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
