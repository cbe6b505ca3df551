CREATE TABLE "directory_employees" (
	"personnel_number" text PRIMARY KEY NOT NULL,
	"evidence" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"seen_run" integer NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"gone_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "directory_sync_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"trigger" text NOT NULL,
	"page_size" integer NOT NULL,
	"next_skip" integer DEFAULT 0 NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"employees" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"total" integer,
	"gone" integer,
	"resumes" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "directory_sync_runs_status" CHECK ("directory_sync_runs"."status" IN ('running', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE INDEX "directory_employees_gone" ON "directory_employees" USING btree ("gone_at");--> statement-breakpoint
CREATE INDEX "directory_employees_seen_run" ON "directory_employees" USING btree ("seen_run");--> statement-breakpoint
CREATE INDEX "directory_sync_runs_status_idx" ON "directory_sync_runs" USING btree ("status","id");