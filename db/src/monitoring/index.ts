export * from './figures.ts';
export * from './households.ts';
export * from './lines.ts';
export * from './measures.ts';
export * from './pending.ts';
export * from './rules.ts';
export * from './statistics.ts';
export * from './writes.ts';
