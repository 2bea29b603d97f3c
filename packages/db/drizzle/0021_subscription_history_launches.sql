CREATE TABLE "hub"."Launch" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"appId" text NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub"."PlanPrice" (
	"appId" text NOT NULL,
	"plan" text NOT NULL,
	"monthlyPriceCents" integer NOT NULL,
	"currency" text DEFAULT 'usd' NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "PlanPrice_appId_plan_pk" PRIMARY KEY("appId","plan")
);
--> statement-breakpoint
CREATE TABLE "hub"."SubscriptionChange" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "hub"."SubscriptionChange_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"subscriptionId" text NOT NULL,
	"userId" text,
	"appId" text NOT NULL,
	"plan" text NOT NULL,
	"status" text NOT NULL,
	"monthlyAmountCents" integer,
	"currency" text DEFAULT 'usd' NOT NULL,
	"trial" boolean NOT NULL,
	"cancelAtPeriodEnd" boolean NOT NULL,
	"previousPlan" text,
	"previousStatus" text,
	"previousMonthlyAmountCents" integer,
	"source" text NOT NULL,
	"sourceRef" text,
	"occurredAt" timestamp NOT NULL,
	"recordedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "SubscriptionChange_source_check" CHECK ("hub"."SubscriptionChange"."source" IN ('stripe_event', 'hub', 'migration', 'backfill', 'sql'))
);
--> statement-breakpoint
ALTER TABLE "hub"."Launch" ADD CONSTRAINT "Launch_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "Launch_userId_idx" ON "hub"."Launch" USING btree ("userId","createdAt");--> statement-breakpoint
CREATE INDEX "Launch_createdAt_idx" ON "hub"."Launch" USING btree ("createdAt","appId","userId");--> statement-breakpoint
CREATE INDEX "SubscriptionChange_subscriptionId_idx" ON "hub"."SubscriptionChange" USING btree ("subscriptionId","occurredAt");--> statement-breakpoint
CREATE INDEX "SubscriptionChange_userId_idx" ON "hub"."SubscriptionChange" USING btree ("userId","occurredAt");--> statement-breakpoint
CREATE INDEX "SubscriptionChange_occurredAt_idx" ON "hub"."SubscriptionChange" USING btree ("occurredAt");--> statement-breakpoint
-- Hand-written below (drizzle-kit does not generate functions or triggers): the history trigger, today's catalog
-- prices for it, the backfill, and the hand-off counts the Hub may read without reading SVD's table.
INSERT INTO "hub"."PlanPrice" ("appId", "plan", "monthlyPriceCents") VALUES
  ('app_securevault', 'starter', 799), ('app_securevault', 'growth', 1499), ('app_securevault', 'pro', 2499),
  ('app_securevault', 'business_starter', 2999), ('app_securevault', 'business_growth', 5999),
  ('app_securevault', 'business_pro', 9999), ('app_crm', 'starter', 999), ('app_crm', 'pro', 1499),
  ('app_iq', 'pro', 1999), ('app_leads', 'pro', 2999)
ON CONFLICT DO NOTHING;--> statement-breakpoint
-- One row per change of what a subscription is worth or grants, in the transaction of the change. A trigger and
-- not application code: every writer (provisioning, cancel, plan change, the SVD migration, support actions, a
-- psql session) is covered, and none can forget. Writers say why through transaction-local settings
-- (annotateSubscriptionChange in @omg/db); the row compares with the subscription's previous history row, so a
-- write that changes nothing recorded (a webhook replay, a renewal) adds nothing.
CREATE FUNCTION "hub"."SubscriptionChange_record"() RETURNS trigger
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
  );
  SELECT * INTO prev FROM "hub"."SubscriptionChange" c
    WHERE c."subscriptionId" = r.id ORDER BY c."occurredAt" DESC, c.id DESC LIMIT 1;
  IF FOUND
    AND prev."userId" IS NOT DISTINCT FROM r."userId" AND prev."appId" = r."appId" AND prev.plan = r.plan
    AND prev.status = v_status AND prev."monthlyAmountCents" IS NOT DISTINCT FROM v_amount
    AND prev.trial = v_trial AND prev."cancelAtPeriodEnd" = r."cancelAtPeriodEnd" THEN
    RETURN NULL;
  END IF;
  INSERT INTO "hub"."SubscriptionChange" (
    "subscriptionId", "userId", "appId", plan, status, "monthlyAmountCents", trial, "cancelAtPeriodEnd",
    "previousPlan", "previousStatus", "previousMonthlyAmountCents", source, "sourceRef", "occurredAt"
  ) VALUES (
    r.id, r."userId", r."appId", r.plan, v_status, v_amount, v_trial, r."cancelAtPeriodEnd",
    prev.plan, prev.status, prev."monthlyAmountCents", v_source, v_ref,
    -- Never before the previous row: Stripe's events arrive in any order, and provisioning writes Stripe's state
    -- of now, so a late event's older time must not sort a newer state before an older one.
    greatest(v_at, prev."occurredAt")
  );
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "SubscriptionChange_record"
AFTER INSERT OR DELETE OR UPDATE OF "userId", "appId", plan, status, "trialEndsAt", "cancelAtPeriodEnd",
  "grandfatheredPriceCents", "stripePriceId"
ON "hub"."Subscription" FOR EACH ROW EXECUTE FUNCTION "hub"."SubscriptionChange_record"();--> statement-breakpoint
-- The backfill: today's state of each subscription, dated from its creation (an ended one from its last update,
-- so it never counts as paying). Changes before this migration are unknown.
INSERT INTO "hub"."SubscriptionChange" (
  "subscriptionId", "userId", "appId", plan, status, "monthlyAmountCents", trial, "cancelAtPeriodEnd",
  source, "sourceRef", "occurredAt"
)
SELECT s.id, s."userId", s."appId", s.plan, s.status,
  coalesce(
    s."grandfatheredPriceCents",
    (SELECT lp."monthlyPriceCents" FROM "hub"."LegacyPrice" lp WHERE lp."stripePriceId" = s."stripePriceId"),
    (SELECT pp."monthlyPriceCents" FROM "hub"."PlanPrice" pp WHERE pp."appId" = s."appId" AND pp.plan = s.plan)
  ),
  s."trialEndsAt" IS NOT NULL AND s.status <> 'canceled', s."cancelAtPeriodEnd", 'backfill', 'migration 0021',
  CASE WHEN s.status = 'canceled' THEN coalesce(s."updatedAt", s."createdAt", now() AT TIME ZONE 'UTC')
    ELSE coalesce(s."createdAt", s."updatedAt", now() AT TIME ZONE 'UTC') END
FROM "hub"."Subscription" s;--> statement-breakpoint
-- Hand-offs issued by the Hub and spent by SVD, per month and app: counts only, no user, token or time of SVD's
-- leaves the function, so the Hub's role (which cannot read securevault."UsedLaunchToken") may call it.
CREATE FUNCTION "hub"."LaunchHandoffs"("from" timestamp, "to" timestamp)
RETURNS TABLE("month" timestamp, "appId" text, "issued" bigint, "consumed" bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT date_trunc('month', l."createdAt"), l."appId", count(*), count(u.jti)
  FROM "hub"."Launch" l LEFT JOIN "securevault"."UsedLaunchToken" u ON u.jti = l.id
  WHERE l."createdAt" >= "from" AND l."createdAt" < "to"
  GROUP BY 1, 2
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "hub"."LaunchHandoffs"(timestamp, timestamp) FROM PUBLIC;
