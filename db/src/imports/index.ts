export * from './cells.ts';
export * from './pipeline.ts';
export * from './read.ts';
export * from './spec.ts';
export * from './template.ts';
