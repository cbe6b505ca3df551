/** The evidence module's public surface (issue 4). */

export type { ComposedEvidenceSource, EvidenceSourceDeps, EvidenceTuning } from "./create.ts";
export { createEvidenceSource, DEFAULT_TUNING } from "./create.ts";
export { mapSapEmployee } from "./map.ts";
export {
  CLUSTERS,
  DIVISIONS,
  EMPLOYEE_COUNT,
  generateEmployee,
  OFFICE_DEPARTMENTS,
  STORES,
} from "./mock-sap/directory.ts";
export { DEMO_EMPLOYEES } from "./mock-sap/personas.ts";
export type { MockSap, MockSapFaults, MockSapOptions } from "./mock-sap/server.ts";
export { startMockSap } from "./mock-sap/server.ts";
export { normalizePernr, PernrInputSchema } from "./pernr.ts";
export type { RetryPolicy } from "./retry.ts";
export { defaultRetryPolicy } from "./retry.ts";
export type { EmployeePage, SapClientOptions } from "./sap-client.ts";
export { SapClient } from "./sap-client.ts";
export { parseSapDate, toSapDate } from "./sap-date.ts";
export type { SapEmployee } from "./sap-entity.ts";
export type { SapFailureKind } from "./sap-error.ts";
export { SapError } from "./sap-error.ts";
export * from "./schema.ts";
export * from "./source.ts";
