export * from './dataset.ts';
export * from './imports.ts';
export * from './regions.ts';
export * from './relocation.ts';
export * from './rollup.ts';
export * from './supervision.ts';
export * from './users.ts';
export * from './villages.ts';
