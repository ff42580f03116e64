// The import pipeline's public face: what scripts, the server and the tests use.
export * from './cells.ts';
export { DATASETS, datasetSpec, ImportUsageError } from './datasets.ts';
export * from './pipeline.ts';
export * from './read.ts';
export { type ChangeExample, type ImportRecord, type ImportResult, listImports } from './record.ts';
export { type RollbackResult, rollbackImport } from './rollback.ts';
export { columnLetter } from './rows.ts';
export * from './spec.ts';
export * from './template.ts';
export { MAX_COUNTED_ERRORS, MAX_LISTED_ERRORS } from './validate.ts';
