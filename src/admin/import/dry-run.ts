import { z } from "zod";

/** `?dry_run=false` to write: both imports (LK2's and our own catalog's) are dry runs by default. */
export const DryRunQuerySchema = z.strictObject({
  dry_run: z
    .enum(["true", "false"])
    .optional()
    .describe("Default `true`: report what would be written and write nothing. `false`: import."),
});
