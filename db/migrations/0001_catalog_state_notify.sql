-- The single catalog_state row, and a NOTIFY on every bump so that every instance listening on
-- 'lk_catalog' rebuilds its snapshot as soon as the bumping transaction commits.
INSERT INTO "catalog_state" ("id", "version") VALUES (1, 1) ON CONFLICT ("id") DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lk_catalog_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('lk_catalog', NEW.version::text);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER catalog_state_notify AFTER UPDATE ON "catalog_state"
  FOR EACH ROW EXECUTE FUNCTION lk_catalog_notify();
