ALTER TABLE "hub"."PlanPrice" ADD COLUMN "seatPriceCents" integer;--> statement-breakpoint
ALTER TABLE "hub"."SubscriptionChange" ADD COLUMN "organizationId" text;--> statement-breakpoint
ALTER TABLE "hub"."SubscriptionChange" ADD COLUMN "extraSeats" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Business subscriptions (issue 15): the history prices extra seats and names the organization; seat prices are
-- today's catalog until seedCatalog runs.
UPDATE "hub"."PlanPrice" SET "seatPriceCents" = CASE plan
  WHEN 'business_starter' THEN 600 WHEN 'business_growth' THEN 500 WHEN 'business_pro' THEN 400 END
WHERE "appId" = 'app_securevault' AND plan IN ('business_starter', 'business_growth', 'business_pro');--> statement-breakpoint
CREATE OR REPLACE FUNCTION "hub"."SubscriptionChange_record"() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, hub AS $$
DECLARE
  r "hub"."Subscription"%ROWTYPE;
  v_status text;
  v_amount integer;
  v_trial boolean;
  prev "hub"."SubscriptionChange"%ROWTYPE;
  v_source text := nullif(current_setting('omg.subscription_change_source', true), '');
  v_ref text := nullif(current_setting('omg.subscription_change_ref', true), '');
  v_at timestamp := coalesce(
    nullif(current_setting('omg.subscription_change_at', true), '')::timestamptz,
    now()
  ) AT TIME ZONE 'UTC';
BEGIN
  IF TG_OP = 'DELETE' THEN
    r := OLD;
    v_status := 'canceled';
  ELSE
    r := NEW;
    v_status := NEW.status;
    -- The SVD migration's one-statement lines cannot annotate: a row born migrated says so itself.
    IF v_source IS NULL AND TG_OP = 'INSERT' AND NEW."migratedAt" IS NOT NULL THEN
      v_source := 'migration';
    END IF;
  END IF;
  v_source := coalesce(v_source, 'sql');
  v_trial := r."trialEndsAt" IS NOT NULL AND v_status <> 'canceled';
  v_amount := coalesce(
    r."grandfatheredPriceCents",
    (SELECT lp."monthlyPriceCents" FROM "hub"."LegacyPrice" lp WHERE lp."stripePriceId" = r."stripePriceId"),
    (SELECT pp."monthlyPriceCents" FROM "hub"."PlanPrice" pp WHERE pp."appId" = r."appId" AND pp.plan = r.plan)
  ) + r."extraSeats" * coalesce(
    (SELECT pp."seatPriceCents" FROM "hub"."PlanPrice" pp WHERE pp."appId" = r."appId" AND pp.plan = r.plan),
    0
  );
  SELECT * INTO prev FROM "hub"."SubscriptionChange" c
    WHERE c."subscriptionId" = r.id ORDER BY c."occurredAt" DESC, c.id DESC LIMIT 1;
  IF FOUND
    AND prev."userId" IS NOT DISTINCT FROM r."userId"
    AND prev."organizationId" IS NOT DISTINCT FROM r."organizationId"
    AND prev."appId" = r."appId" AND prev.plan = r.plan AND prev.status = v_status
    AND prev."monthlyAmountCents" IS NOT DISTINCT FROM v_amount AND prev."extraSeats" = r."extraSeats"
    AND prev.trial = v_trial AND prev."cancelAtPeriodEnd" = r."cancelAtPeriodEnd" THEN
    RETURN NULL;
  END IF;
  INSERT INTO "hub"."SubscriptionChange" (
    "subscriptionId", "userId", "organizationId", "appId", plan, status, "monthlyAmountCents", "extraSeats", trial,
    "cancelAtPeriodEnd", "previousPlan", "previousStatus", "previousMonthlyAmountCents", source, "sourceRef",
    "occurredAt"
  ) VALUES (
    r.id, r."userId", r."organizationId", r."appId", r.plan, v_status, v_amount, r."extraSeats", v_trial,
    r."cancelAtPeriodEnd", prev.plan, prev.status, prev."monthlyAmountCents", v_source, v_ref,
    -- Never before the previous row: Stripe's events arrive in any order, and provisioning writes Stripe's state
    -- of now, so a late event's older time must not sort a newer state before an older one.
    greatest(v_at, prev."occurredAt")
  );
  RETURN NULL;
END;
$$;--> statement-breakpoint
DROP TRIGGER "SubscriptionChange_record" ON "hub"."Subscription";--> statement-breakpoint
CREATE TRIGGER "SubscriptionChange_record"
AFTER INSERT OR DELETE OR UPDATE OF "userId", "organizationId", "appId", plan, status, "trialEndsAt",
  "cancelAtPeriodEnd", "grandfatheredPriceCents", "stripePriceId", "extraSeats"
ON "hub"."Subscription" FOR EACH ROW EXECUTE FUNCTION "hub"."SubscriptionChange_record"();--> statement-breakpoint
UPDATE "hub"."SubscriptionChange" c SET "organizationId" = s."organizationId"
FROM "hub"."Subscription" s WHERE s.id = c."subscriptionId" AND s."organizationId" IS NOT NULL;
