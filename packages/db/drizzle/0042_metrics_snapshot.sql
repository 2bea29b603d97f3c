CREATE TABLE "hub"."SubscriptionMetricsSnapshot" (
	"product" text NOT NULL,
	"monthStart" timestamp NOT NULL,
	"version" integer NOT NULL,
	"historyRows" integer NOT NULL,
	"months" json NOT NULL,
	"state" json NOT NULL,
	"computedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "SubscriptionMetricsSnapshot_product_monthStart_pk" PRIMARY KEY("product","monthStart")
);
--> statement-breakpoint
-- The locks that make concurrent writers take turns (an account's first launches of two apps in one month, so '*'
-- counts it once; one account and product's search row) are each one of 1,024 per hash instead of one per
-- account: a transaction holds every advisory lock it takes until it ends, and one that writes many rows (the demo
-- generator writes 100,000 customers in one transaction) ran out of lock memory ("out of shared memory",
-- max_locks_per_transaction) with one lock per account. Two accounts sharing a lock only wait for each other's
-- transaction to commit.
CREATE OR REPLACE FUNCTION "hub"."Launch_month_rollup"() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, hub AS $$
DECLARE
  v_month timestamp := date_trunc('month', NEW."createdAt");
  v_stripe smallint := (hashtext(NEW."userId") & 15)::smallint;
  v_new boolean;
BEGIN
  INSERT INTO "hub"."LaunchMonth" (month, "appId", "userId", launches)
  VALUES (v_month, NEW."appId", NEW."userId", 1)
  ON CONFLICT (month, "appId", "userId") DO UPDATE SET launches = "LaunchMonth".launches + 1
  RETURNING xmax = 0 INTO v_new;
  INSERT INTO "hub"."LaunchMonthTotal" (month, "appId", stripe, issued, users)
  VALUES (v_month, NEW."appId", v_stripe, 1, CASE WHEN v_new THEN 1 ELSE 0 END)
  ON CONFLICT (month, "appId", stripe) DO UPDATE
    SET issued = "LaunchMonthTotal".issued + 1, users = "LaunchMonthTotal".users + EXCLUDED.users;
  IF v_new THEN
    INSERT INTO "hub"."ProductUser" ("appId", "userId", "signedUpAt")
    SELECT NEW."appId", u.id, u."createdAt" FROM "core"."User" u WHERE u.id = NEW."userId"
    ON CONFLICT DO NOTHING;
    -- The account's first launch of any app this month counts it once under '*'. The lock makes two first
    -- launches of different apps at once take turns, so the second sees the first's row.
    PERFORM pg_advisory_xact_lock(hashtext('LaunchMonthTotal'), hashtext(v_month::text || NEW."userId") & 1023);
    IF NOT EXISTS (
      SELECT 1 FROM "hub"."LaunchMonth" m
      WHERE m.month = v_month AND m."userId" = NEW."userId" AND m."appId" <> NEW."appId"
    ) THEN
      INSERT INTO "hub"."LaunchMonthTotal" (month, "appId", stripe, users) VALUES (v_month, '*', v_stripe, 1)
      ON CONFLICT (month, "appId", stripe) DO UPDATE SET users = "LaunchMonthTotal".users + 1;
    END IF;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- The same for the console's search rows: one of 1,024 locks per product and account hash.
CREATE OR REPLACE FUNCTION "hub"."CustomerProduct_refresh"(p_user text, p_app text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hub AS $$
DECLARE
  s record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('CustomerProduct'), hashtext(p_app || '|' || p_user) & 1023);
  SELECT plan, status INTO s FROM "hub"."Subscription" WHERE "userId" = p_user AND "appId" = p_app;
  IF FOUND THEN
    INSERT INTO "hub"."CustomerProduct" ("appId", "userId", "signedUpAt", "planRank", "planStatus")
    SELECT p_app, u.id, u."createdAt", "hub"."PlanRank"(s.plan), s.status FROM "core"."User" u WHERE u.id = p_user
    ON CONFLICT ("appId", "userId") DO UPDATE SET "planRank" = EXCLUDED."planRank", "planStatus" = EXCLUDED."planStatus";
  ELSIF p_app = 'app_securevault' AND EXISTS (SELECT 1 FROM "securevault"."UserProfile" WHERE "userId" = p_user) THEN
    INSERT INTO "hub"."CustomerProduct" ("appId", "userId", "signedUpAt", "planRank", "planStatus")
    SELECT p_app, u.id, u."createdAt", NULL, NULL FROM "core"."User" u WHERE u.id = p_user
    ON CONFLICT ("appId", "userId") DO UPDATE SET "planRank" = NULL, "planStatus" = NULL;
  ELSE
    DELETE FROM "hub"."CustomerProduct" WHERE "appId" = p_app AND "userId" = p_user;
  END IF;
END;
$$;
