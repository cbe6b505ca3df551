ALTER TABLE "banners" ADD COLUMN "lk2_id" integer;--> statement-breakpoint
ALTER TABLE "card_groups" ADD COLUMN "lk2_id" integer;--> statement-breakpoint
ALTER TABLE "rules" ADD COLUMN "lk2_id" integer;--> statement-breakpoint
ALTER TABLE "sections" ADD COLUMN "lk2_id" integer;--> statement-breakpoint
ALTER TABLE "sidebar_groups" ADD COLUMN "lk2_id" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "banners_lk2_id_unique" ON "banners" USING btree ("lk2_id");--> statement-breakpoint
CREATE UNIQUE INDEX "card_groups_lk2_id_unique" ON "card_groups" USING btree ("lk2_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rules_lk2_id_unique" ON "rules" USING btree ("lk2_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sections_lk2_id_unique" ON "sections" USING btree ("lk2_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sidebar_groups_lk2_id_unique" ON "sidebar_groups" USING btree ("lk2_id");