/** Shared by the catalog export/import tests: the demo catalog's size, apps over demo employees. */
import type { CatalogExport } from "../../src/admin/import/catalog-document.ts";
import type { CatalogImportReport } from "../../src/admin/import/catalog-report.ts";
import { DEMO_BANNERS, DEMO_CARD_GROUPS, DEMO_RULES, DEMO_SIDEBAR } from "../../src/demo/index.ts";
import { mapSapEmployee } from "../../src/evidence/index.ts";
import { DEMO_EMPLOYEES, generateEmployee } from "../../src/evidence/mock-sap/directory.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { expectOk } from "./support.ts";

/** Fixed, so that the demo banners' windows (relative to the seeding time) agree everywhere. */
export const NOW = new Date("2026-03-02T09:30:00Z");

/** The README's personas and a spread of the demo directory. */
export const PERNRS = [
  ...DEMO_EMPLOYEES.map((e) => e.pernr),
  ...Array.from({ length: 30 }, (_, i) => String(1 + i * 9_973).padStart(8, "0")),
];

/** The demo catalog's size, as the report counts it. */
export const COUNTS = {
  rules: DEMO_RULES.length,
  sidebar_groups: DEMO_SIDEBAR.length,
  card_groups: DEMO_CARD_GROUPS.length,
  sections: DEMO_SIDEBAR.reduce((sum, group) => sum + group.sections.length, 0),
  banners: DEMO_BANNERS.length,
};

/** An app on a fresh database whose SAP knows PERNRS. */
export const newApp = () =>
  createTestApp({
    employees: PERNRS.map((pernr) => mapSapEmployee(generateEmployee(pernr))),
    clock: () => NOW,
  });

export const exportOf = (t: TestApp) => expectOk<CatalogExport>(t.admin("/admin/export"));

/** POST /admin/import: a dry run unless `real`. */
export const importInto = (t: TestApp, document: unknown, real = false) =>
  t.admin(`/admin/import${real ? "?dry_run=false" : ""}`, { method: "POST", json: document });

export const reportOf = (t: TestApp, document: unknown, real = false) =>
  expectOk<CatalogImportReport>(importInto(t, document, real));

export const counts = (created: number, updated: number, unchanged: number) => ({
  created,
  updated,
  unchanged,
});
