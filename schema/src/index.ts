// Builds the schema: each domain file registers its types on the builder when imported.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './figures.ts';
import './region.ts';
import './county.ts';
import './village.ts';
import './relocation-site.ts';
import './statistics.ts';
import './supervision/workflow.ts';
import './supervision/problems.ts';
import './supervision/inspections.ts';
import './supervision/listings.ts';
import './supervision/users.ts';
import './supervision/departments.ts';
import './supervision/audit.ts';
import './supervision/reminders.ts';
import './supervision/evidence.ts';
import './monitoring/households.ts';
import './monitoring/statistics.ts';
import './dataset.ts';
import './imports.ts';

export const schema = builder.toSchema();

/** The schema as SDL, sorted so that diffs of schema/schema.graphql stay stable. */
export function printSortedSchema(): string {
  return printSchema(lexicographicSortSchema(schema));
}

export {
  checkViewer,
  householdReadScope,
  identify,
  importRule,
  mayImport,
  problemReadScope,
  requireLogin,
  requireRole,
  type Viewer,
} from './auth/policy.ts';
export { LoginThrottle } from './auth/throttle.ts';
export {
  clearedSessionCookie,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
  signToken,
  TOKEN_HOURS,
  verifyToken,
} from './auth/tokens.ts';
export { type Context, createContext, type HttpExchange } from './context.ts';
export { COUNTRY_SIZES, type DataSizes, type Measurement, measureOperation } from './cost.ts';
export { MAX_INPUT_VERTICES } from './geojson.ts';
export { commonFilter } from './list-args.ts';
export { checkHouseholdFilter } from './monitoring/households.ts';
export { MAX_PAGE_SIZE } from './pagination.ts';
export {
  checkProblemFilter,
  PROBLEM_CATEGORY_LABELS,
  PROBLEM_STATUS_LABELS,
} from './supervision/problems.ts';
