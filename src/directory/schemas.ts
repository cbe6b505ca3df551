import { z } from "zod";

/** GET /admin/directory: the latest sync run, and the copy it left. */
export const DirectoryStatusSchema = z.object({
  status: z
    .enum(["never", "running", "succeeded", "failed", "interrupted"])
    .describe(
      "of the latest sync run; `interrupted`: it stopped (instance shut down) and the next sync resumes it",
    ),
  employees: z.number().int().describe("employees the latest run has written so far"),
  total: z.number().int().nullable().describe("employees SAP says it has (`__count`)"),
  pages: z.number().int().describe("listing pages the latest run has written"),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  error: z.string().nullable().describe("why the latest run failed; the copy of the run before stays in use"),
  run_id: z.number().int().nullable(),
  synced_at: z
    .string()
    .nullable()
    .describe("when the last successful sync finished (the copy in use is its)"),
  copy_employees: z.number().int().describe("employees in the copy (those marked gone not counted)"),
});
export type DirectoryStatus = z.infer<typeof DirectoryStatusSchema>;

export const SyncRequestSchema = z
  .strictObject({
    restart: z
      .boolean()
      .optional()
      .describe("true: start over instead of resuming an interrupted sync (which is then marked failed)"),
  })
  .default({});

export const SyncRequestedSchema = DirectoryStatusSchema.extend({
  accepted: z
    .boolean()
    .describe("false when a sync was already running (here or on another instance): that one goes on"),
});
export type SyncRequested = z.infer<typeof SyncRequestedSchema>;
