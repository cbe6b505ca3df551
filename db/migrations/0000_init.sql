CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" integer NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "banners" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"image_url" text NOT NULL,
	"link" text,
	"order" integer DEFAULT 0 NOT NULL,
	"platforms" text[],
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"rule_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "banners_order" CHECK ("banners"."order" >= 0),
	CONSTRAINT "banners_platforms" CHECK ("banners"."platforms" IS NULL OR "banners"."platforms" <@ ARRAY['web','ios','android']::text[]),
	CONSTRAINT "banners_window" CHECK ("banners"."starts_at" IS NULL OR "banners"."ends_at" IS NULL OR "banners"."ends_at" > "banners"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "card_groups" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"order" integer DEFAULT 0 NOT NULL,
	"rule_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "card_groups_order" CHECK ("card_groups"."order" >= 0)
);
--> statement-breakpoint
CREATE TABLE "catalog_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_state_single_row" CHECK ("catalog_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "rule_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"rule_id" integer NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"expression" text NOT NULL,
	"app_codes" text[] NOT NULL,
	"enabled" boolean NOT NULL,
	"author" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"title" text NOT NULL,
	"kind" text DEFAULT 'expression' NOT NULL,
	"expression" text DEFAULT '' NOT NULL,
	"app_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"depends_on" text[] DEFAULT '{}'::text[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rules_name_identifier" CHECK ("rules"."name" ~ '^[A-Za-z_$][A-Za-z0-9_$]*$'),
	CONSTRAINT "rules_kind_valid" CHECK ("rules"."kind" IN ('expression', 'lk1')),
	CONSTRAINT "rules_expression_length" CHECK (length("rules"."expression") <= 20000),
	CONSTRAINT "rules_version_positive" CHECK ("rules"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "sections" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"url" text NOT NULL,
	"icon" text,
	"order" integer DEFAULT 0 NOT NULL,
	"sidebar_group_id" integer NOT NULL,
	"card_group_id" integer,
	"platforms" text[],
	"rule_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sections_order" CHECK ("sections"."order" >= 0),
	CONSTRAINT "sections_platforms" CHECK ("sections"."platforms" IS NULL OR "sections"."platforms" <@ ARRAY['web','ios','android']::text[])
);
--> statement-breakpoint
CREATE TABLE "sidebar_groups" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"icon" text,
	"order" integer DEFAULT 0 NOT NULL,
	"rule_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sidebar_groups_order" CHECK ("sidebar_groups"."order" >= 0)
);
--> statement-breakpoint
ALTER TABLE "banners" ADD CONSTRAINT "banners_rule_id_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "card_groups" ADD CONSTRAINT "card_groups_rule_id_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "rule_revisions" ADD CONSTRAINT "rule_revisions_rule_id_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sections" ADD CONSTRAINT "sections_sidebar_group_id_sidebar_groups_id_fk" FOREIGN KEY ("sidebar_group_id") REFERENCES "public"."sidebar_groups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sections" ADD CONSTRAINT "sections_card_group_id_card_groups_id_fk" FOREIGN KEY ("card_group_id") REFERENCES "public"."card_groups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sections" ADD CONSTRAINT "sections_rule_id_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "sidebar_groups" ADD CONSTRAINT "sidebar_groups_rule_id_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."rules"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "audit_log_entity" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_at" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "rule_revisions_rule_version" ON "rule_revisions" USING btree ("rule_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "rules_name_unique" ON "rules" USING btree ("name");--> statement-breakpoint
CREATE INDEX "sections_sidebar_group" ON "sections" USING btree ("sidebar_group_id");--> statement-breakpoint
CREATE INDEX "sections_card_group" ON "sections" USING btree ("card_group_id");