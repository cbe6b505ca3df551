/**
 * The employee directory: a copy of SAP's employee listing in the service's database, synced
 * page by page (on demand and on a schedule, one sync at a time across instances, resumable),
 * read by the impact estimate, the known values and the trial's sample.
 */

export { createImpactEstimator, type ImpactEstimator } from "./impact/estimator.ts";
export {
  ImpactQuerySchema,
  type ImpactRequest,
  ImpactRequestSchema,
  type ImpactResult,
  ImpactResultSchema,
} from "./impact/schemas.ts";
export { DEFAULT_PAGE_RETRY, type PageRetryPolicy } from "./page-retry.ts";
export { createDirectorySampleCache, directorySample } from "./sample.ts";
export {
  type DirectoryStatus,
  DirectoryStatusSchema,
  type SyncRequested,
  SyncRequestedSchema,
  SyncRequestSchema,
} from "./schemas.ts";
export {
  createDirectoryService,
  type DirectoryOptions,
  type DirectoryService,
  type SyncStart,
} from "./service.ts";
export { contentHash, countEmployees, employeeChunks, goneAt, type SyncRunRow } from "./store.ts";
export type { EmployeeLister } from "./sync.ts";
export {
  type KnownValue,
  type KnownValuesIndex,
  KnownValuesSchema,
  VALUE_FIELDS,
  type ValueField,
  ValuesQuerySchema,
} from "./values.ts";
