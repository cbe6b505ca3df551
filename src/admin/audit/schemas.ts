import { z } from "zod";

export const AUDIT_ENTITIES = ["rule", "sidebar_group", "card_group", "section", "banner"] as const;
export const AuditEntitySchema = z.enum(AUDIT_ENTITIES);
export type AuditEntity = z.infer<typeof AuditEntitySchema>;

export const AuditActionSchema = z.enum(["create", "update", "delete", "rollback"]);
export type AuditAction = z.infer<typeof AuditActionSchema>;

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string().describe("ISO-8601 instant of the change"),
  actor: z
    .string()
    .describe(
      'Who: the person of the admin JWT (`name`, `preferred_username`, else `sub`), or "admin-token"',
    ),
  action: AuditActionSchema,
  entity: AuditEntitySchema,
  entity_id: z.number().int(),
  before: z.record(z.string(), z.unknown()).nullable().describe("The object before (null on create)"),
  after: z.record(z.string(), z.unknown()).nullable().describe("The object after (null on delete)"),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.strictObject({
  entity: AuditEntitySchema.optional(),
  entity_id: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  actor: z.string().trim().min(1).max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe("Entries at or after this instant (ISO-8601)"),
  until: z.iso.datetime({ offset: true }).optional().describe("Entries before this instant (ISO-8601)"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before_id: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe("Paging: entries older than this id (pass the previous page's next_before_id)"),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditPageSchema = z.object({
  items: z.array(AuditEntrySchema).describe("Newest first"),
  next_before_id: z
    .number()
    .int()
    .nullable()
    .describe("Pass as before_id for the next page; null at the end"),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;
