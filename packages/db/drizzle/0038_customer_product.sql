CREATE TABLE "hub"."CustomerProduct" (
	"appId" text NOT NULL,
	"userId" text NOT NULL,
	"signedUpAt" timestamp,
	"planRank" smallint,
	"planStatus" text,
	CONSTRAINT "CustomerProduct_appId_userId_pk" PRIMARY KEY("appId","userId")
);
--> statement-breakpoint
ALTER TABLE "hub"."CustomerProduct" ADD CONSTRAINT "CustomerProduct_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "CustomerProduct_signedUpAt_idx" ON "hub"."CustomerProduct" USING btree ("appId","signedUpAt" DESC NULLS FIRST,"userId" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "CustomerProduct_plan_desc_idx" ON "hub"."CustomerProduct" USING btree ("appId","planRank" DESC NULLS FIRST,"planStatus" DESC NULLS FIRST,"signedUpAt" DESC NULLS FIRST,"userId" DESC NULLS FIRST) WHERE "planRank" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "CustomerProduct_plan_asc_idx" ON "hub"."CustomerProduct" USING btree ("appId","planRank","planStatus","signedUpAt" DESC NULLS FIRST,"userId" DESC NULLS FIRST) WHERE "planRank" IS NOT NULL;--> statement-breakpoint
-- The catalog's plan order (PLAN_RANK in the console's search: each plan id ranked where it first appears in the
-- catalog; an unknown plan 0). A test compares the two.
CREATE FUNCTION "hub"."PlanRank"(plan text) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE plan WHEN 'starter' THEN 1 WHEN 'growth' THEN 2 WHEN 'pro' THEN 3 WHEN 'business_starter' THEN 4
    WHEN 'business_growth' THEN 5 WHEN 'business_pro' THEN 6 WHEN 'enterprise' THEN 7 ELSE 0 END)::smallint
$$;--> statement-breakpoint
-- Rewrites one account's row for one product from the tables themselves: its subscription (any status), else
-- for SecureVault Docs its profile (the free trial), else none. One account and product at a time (an advisory
-- lock), so a subscription and a profile written at once cannot leave the row of the one that committed first.
CREATE FUNCTION "hub"."CustomerProduct_refresh"(p_user text, p_app text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hub AS $$
DECLARE
  s record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('CustomerProduct'), hashtext(p_app || '|' || p_user));
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
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "hub"."CustomerProduct_refresh"(text, text) FROM PUBLIC;--> statement-breakpoint
CREATE FUNCTION "hub"."Subscription_customer_product"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hub AS $$
BEGIN
  IF TG_OP <> 'DELETE' AND NEW."userId" IS NOT NULL THEN
    PERFORM "hub"."CustomerProduct_refresh"(NEW."userId", NEW."appId");
  END IF;
  IF TG_OP <> 'INSERT' AND OLD."userId" IS NOT NULL
    AND (TG_OP = 'DELETE' OR OLD."userId" IS DISTINCT FROM NEW."userId" OR OLD."appId" <> NEW."appId") THEN
    PERFORM "hub"."CustomerProduct_refresh"(OLD."userId", OLD."appId");
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "Subscription_customer_product"
AFTER INSERT OR DELETE OR UPDATE OF "userId", "appId", plan, status ON "hub"."Subscription"
FOR EACH ROW EXECUTE FUNCTION "hub"."Subscription_customer_product"();--> statement-breakpoint
-- SVD writes its profiles as its own role: the function runs as its owner.
CREATE FUNCTION "hub"."UserProfile_customer_product"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hub AS $$
BEGIN
  PERFORM "hub"."CustomerProduct_refresh"(CASE WHEN TG_OP = 'DELETE' THEN OLD."userId" ELSE NEW."userId" END, 'app_securevault');
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "hub"."UserProfile_customer_product"() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER "UserProfile_customer_product" AFTER INSERT OR DELETE ON "securevault"."UserProfile"
FOR EACH ROW EXECUTE FUNCTION "hub"."UserProfile_customer_product"();--> statement-breakpoint
INSERT INTO "hub"."CustomerProduct" ("appId", "userId", "signedUpAt", "planRank", "planStatus")
SELECT s."appId", u.id, u."createdAt", "hub"."PlanRank"(s.plan), s.status
FROM "hub"."Subscription" s JOIN "core"."User" u ON u.id = s."userId";--> statement-breakpoint
INSERT INTO "hub"."CustomerProduct" ("appId", "userId", "signedUpAt")
SELECT 'app_securevault', u.id, u."createdAt" FROM "securevault"."UserProfile" p JOIN "core"."User" u ON u.id = p."userId"
ON CONFLICT DO NOTHING;
