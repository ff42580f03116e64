export * from './bulk.ts';
export * from './client.ts';
export * from './dataset-watch.ts';
export * from './error-code.ts';
export * from './facts.ts';
export * from './imports/index.ts';
export * from './monitoring/index.ts';
export * from './postgis/columns.ts';
export * from './postgis/gcj02.ts';
export * from './queries/counties.ts';
export * from './queries/dataset.ts';
export * from './queries/figures.ts';
export * from './queries/filters.ts';
export * from './queries/import-boundaries.ts';
export * from './queries/input-checks.ts';
export * from './queries/ledger.ts';
export * from './queries/lists.ts';
export * from './queries/problems.ts';
export * from './queries/relocation.ts';
export * from './queries/rollup.ts';
export * from './queries/server.ts';
export * from './queries/sizes.ts';
export * from './queries/statistics.ts';
export * from './queries/tiles.ts';
export * from './queries/villages.ts';
export * from './supervision/audit.ts';
export * from './supervision/demo.ts';
export * from './supervision/departments.ts';
export * from './supervision/errors.ts';
export * from './supervision/evidence.ts';
export * from './supervision/inspection-writes.ts';
export * from './supervision/listing-writes.ts';
export * from './supervision/passwords.ts';
export {
  addProblemEvidence,
  assignDepartment,
  changeProblemStatus,
  type NewProblem,
  reportProblem,
  setDeadline,
  updateProblemDetails,
} from './supervision/problem-writes.ts';
export * from './supervision/reads.ts';
export * from './supervision/reminders.ts';
export * from './supervision/sessions.ts';
export * from './supervision/users.ts';
export * from './supervision/workflow.ts';
export type { Actor, Authorize } from './supervision/writes.ts';
export * as tables from './tables/index.ts';
export * from './tables/monitoring.ts';
export {
  DEPARTMENT_KIND_LABELS,
  type DepartmentKind,
  LISTING_STATUS_LABELS,
  PROBLEM_CATEGORY_LABELS,
  PROBLEM_SOURCE_LABELS,
  PROBLEM_STATUS_LABELS,
  type ProblemSource,
} from './tables/supervision.ts';
export { ROLES, type Role } from './tables/users.ts';
