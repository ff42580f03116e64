// What data is loaded, and where each part of it comes from: the demo dataset takes the county
// designations from published lists where they are known and says which parts are generated.
import { builder } from './builder.ts';
import { sized } from './cost.ts';

type SourceKind = 'published_list' | 'imported' | 'generated';
type Part =
  | 'poverty_counties'
  | 'supervised_counties'
  | 'key_assistance_counties'
  | 'east_west_partners'
  | 'poverty_villages'
  | 'supervised_villages'
  | 'figures';

interface SourceShape {
  part: Part;
  label: string;
  kind: SourceKind;
  date: string | null;
  count: number | null;
  note: string;
}

export const DesignationSourceEnum = builder.enumType('DesignationSource', {
  description: 'Where a designation or a part of the data comes from (来源).',
  values: {
    PUBLISHED_LIST: { value: 'published_list', description: '公布名单: a published government list.' },
    IMPORTED: { value: 'imported', description: '导入: a file imported by a user.' },
    GENERATED: { value: 'generated', description: '生成: drawn by the demo generator, not a fact.' },
  } as const,
});

const DatasetPartEnum = builder.enumType('DatasetPart', {
  description: 'A part of the dataset whose source is stated.',
  values: {
    POVERTY_COUNTIES: { value: 'poverty_counties', description: '贫困县 and their exit years (摘帽).' },
    SUPERVISED_COUNTIES: { value: 'supervised_counties', description: '挂牌督战县.' },
    KEY_ASSISTANCE_COUNTIES: { value: 'key_assistance_counties', description: '国家乡村振兴重点帮扶县.' },
    EAST_WEST_PARTNERS: { value: 'east_west_partners', description: '东西部协作 partners.' },
    POVERTY_VILLAGES: { value: 'poverty_villages', description: '贫困村 and their exit years (出列).' },
    SUPERVISED_VILLAGES: { value: 'supervised_villages', description: '挂牌督战村 and their ledger.' },
    FIGURES: { value: 'figures', description: 'Yearly figures, relocation sites, the problem ledger.' },
  } as const,
});

const DatasetSourceRef = builder.objectRef<SourceShape>('DatasetSource');
DatasetSourceRef.implement({
  description:
    'Where one part of the dataset comes from. A part may have several sources (e.g. the key assistance counties: the published list for those found, generated for the rest).',
  fields: (t) => ({
    part: t.field({ type: DatasetPartEnum, resolve: (s) => s.part }),
    label: t.exposeString('label', { description: 'What the part is (Chinese, then English).' }),
    kind: t.field({ type: DesignationSourceEnum, resolve: (s) => s.kind }),
    date: t.exposeString('date', {
      nullable: true,
      description: 'Date of publication of a published list (ISO 8601, as precise as known).',
    }),
    count: t.exposeInt('count', {
      nullable: true,
      description: 'How many units this source gives, where that is a count.',
    }),
    note: t.exposeString('note', { description: 'What is known and what is not.' }),
  }),
});

const DESIGNATION_PARTS: Part[] = [
  'poverty_counties',
  'supervised_counties',
  'key_assistance_counties',
  'east_west_partners',
];

/** A demo dataset loaded before the lists shipped: every designation was drawn. */
const LEGACY_DEMO_SOURCES: SourceShape[] = [
  ...DESIGNATION_PARTS.map((part) => ({
    part,
    label: part,
    kind: 'generated' as const,
    date: null,
    count: null,
    note: 'loaded before the published lists shipped: drawn at random; reload the demo data',
  })),
  {
    part: 'figures',
    label: 'figures',
    kind: 'generated',
    date: null,
    count: null,
    note: 'synthetic, calibrated to published national totals',
  },
];

const DatasetRef = builder.objectRef<{
  label: string;
  kind: 'demo' | 'imported';
  details: Record<string, unknown>;
  dataVersion: number;
  loadedAt: string;
}>('Dataset');

DatasetRef.implement({
  description:
    'The dataset loaded (数据集). Demo data: real places; county designations from published lists where known (sources says which parts are generated); synthetic figures.',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'What the data is; show it wherever the data is shown.' }),
    demo: t.boolean({
      description: 'True for the demo dataset (演示数据), whose figures are generated.',
      resolve: (d) => d.kind === 'demo',
    }),
    scale: t.string({
      nullable: true,
      description: 'Demo scale: tiny, province or national.',
      resolve: (d) => (d.details.scale as string) ?? null,
    }),
    sources: t.field({
      type: [DatasetSourceRef],
      ...sized(20),
      description:
        'Where each part comes from: a published list (with its date), an imported file, or generated. Counties say it per county for the key assistance designation (County.keyAssistanceSource).',
      resolve: (d) => {
        const stored = d.details.sources as SourceShape[] | undefined;
        if (Array.isArray(stored)) return stored;
        return d.kind === 'demo' ? LEGACY_DEMO_SOURCES : [];
      },
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
