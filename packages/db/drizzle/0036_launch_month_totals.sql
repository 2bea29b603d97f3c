CREATE TABLE "hub"."LaunchMonthTotal" (
	"month" timestamp NOT NULL,
	"appId" text NOT NULL,
	"stripe" smallint NOT NULL,
	"issued" integer DEFAULT 0 NOT NULL,
	"consumed" integer DEFAULT 0 NOT NULL,
	"users" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "LaunchMonthTotal_month_appId_stripe_pk" PRIMARY KEY("month","appId","stripe")
);
--> statement-breakpoint
CREATE TABLE "hub"."ProductUser" (
	"appId" text NOT NULL,
	"userId" text NOT NULL,
	"signedUpAt" timestamp,
	CONSTRAINT "ProductUser_appId_userId_pk" PRIMARY KEY("appId","userId")
);
--> statement-breakpoint
ALTER TABLE "hub"."ProductUser" ADD CONSTRAINT "ProductUser_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ProductUser_appId_signedUpAt_idx" ON "hub"."ProductUser" USING btree ("appId","signedUpAt");--> statement-breakpoint
CREATE INDEX "LaunchMonth_month_userId_idx" ON "hub"."LaunchMonth" USING btree ("month","userId");--> statement-breakpoint
-- hub."LaunchHandoffs" reads the month of the first recorded launch from SVD's table (declared here, not in the
-- schema files, so SVD's table definition stays SVD's).
CREATE INDEX "UsedLaunchToken_usedAt_idx" ON "securevault"."UsedLaunchToken" USING btree ("usedAt");--> statement-breakpoint
-- Issue 14's dashboard reads monthly totals kept by triggers instead of counting every launch and spent token.
-- The stripe spreads concurrent writers of one month and app over 16 counter rows.
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
    PERFORM pg_advisory_xact_lock(hashtext('LaunchMonthTotal'), hashtext(v_month::text || NEW."userId"));
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
-- SVD spends a token as its own role, which may not write the Hub's tables: the function runs as its owner.
CREATE FUNCTION "hub"."UsedLaunchToken_month_total"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hub AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO "hub"."LaunchMonthTotal" (month, "appId", stripe, consumed)
    VALUES (date_trunc('month', OLD."usedAt"), 'app_securevault', (hashtext(OLD.jti) & 15)::smallint, -1)
    ON CONFLICT (month, "appId", stripe) DO UPDATE SET consumed = "LaunchMonthTotal".consumed - 1;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "hub"."LaunchMonthTotal" (month, "appId", stripe, consumed)
    VALUES (date_trunc('month', NEW."usedAt"), 'app_securevault', (hashtext(NEW.jti) & 15)::smallint, 1)
    ON CONFLICT (month, "appId", stripe) DO UPDATE SET consumed = "LaunchMonthTotal".consumed + 1;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "hub"."UsedLaunchToken_month_total"() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER "UsedLaunchToken_month_total"
AFTER INSERT OR DELETE OR UPDATE OF "usedAt", jti ON "securevault"."UsedLaunchToken"
FOR EACH ROW EXECUTE FUNCTION "hub"."UsedLaunchToken_month_total"();--> statement-breakpoint
-- A subscription history makes its account a user of the product (sign-ups per product).
CREATE FUNCTION "hub"."SubscriptionChange_product_user"() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, hub AS $$
BEGIN
  IF NEW."userId" IS NOT NULL THEN
    INSERT INTO "hub"."ProductUser" ("appId", "userId", "signedUpAt")
    SELECT NEW."appId", u.id, u."createdAt" FROM "core"."User" u WHERE u.id = NEW."userId"
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "SubscriptionChange_product_user" AFTER INSERT ON "hub"."SubscriptionChange"
FOR EACH ROW EXECUTE FUNCTION "hub"."SubscriptionChange_product_user"();--> statement-breakpoint
-- What is there already, in stripe 0.
INSERT INTO "hub"."LaunchMonthTotal" (month, "appId", stripe, issued, users)
SELECT month, "appId", 0, sum(launches), count(*) FROM "hub"."LaunchMonth" GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO "hub"."LaunchMonthTotal" (month, "appId", stripe, users)
SELECT month, '*', 0, count(DISTINCT "userId") FROM "hub"."LaunchMonth" GROUP BY 1;--> statement-breakpoint
INSERT INTO "hub"."LaunchMonthTotal" (month, "appId", stripe, consumed)
SELECT date_trunc('month', "usedAt"), 'app_securevault', 0, count(*) FROM "securevault"."UsedLaunchToken" GROUP BY 1
ON CONFLICT (month, "appId", stripe) DO UPDATE SET consumed = EXCLUDED.consumed;--> statement-breakpoint
INSERT INTO "hub"."ProductUser" ("appId", "userId", "signedUpAt")
SELECT p."appId", u.id, u."createdAt" FROM (
  SELECT "appId", "userId" FROM "hub"."LaunchMonth"
  UNION SELECT "appId", "userId" FROM "hub"."SubscriptionChange" WHERE "userId" IS NOT NULL
) p JOIN "core"."User" u ON u.id = p."userId"
ON CONFLICT DO NOTHING;--> statement-breakpoint
-- Hand-offs from the totals. Spent tokens count from the first recorded launch on (before it the Hub kept no
-- history): whole months after it from the totals, the month it falls in (and a range's partial edges) from
-- SVD's table through its "usedAt" index.
CREATE OR REPLACE FUNCTION "hub"."LaunchHandoffs"("from" timestamp, "to" timestamp)
RETURNS TABLE("month" timestamp, "appId" text, "issued" bigint, "consumed" bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  WITH lo AS (SELECT greatest("from", (SELECT min(l."createdAt") FROM "hub"."Launch" l)) AS at),
  whole AS (
    SELECT lo.at,
      CASE WHEN date_trunc('month', lo.at) = lo.at THEN lo.at ELSE date_trunc('month', lo.at) + interval '1 month' END
        AS first,
      date_trunc('month', "to") AS last
    FROM lo
  )
  SELECT month, "appId", sum(issued)::bigint, sum(consumed)::bigint FROM (
    SELECT t.month, t."appId", sum(t.issued) AS issued, 0 AS consumed
    FROM "hub"."LaunchMonthTotal" t
    WHERE t.month >= date_trunc('month', "from") AND t.month < "to" AND t."appId" <> '*'
    GROUP BY 1, 2
    UNION ALL
    SELECT t.month, t."appId", 0, sum(t.consumed)
    FROM "hub"."LaunchMonthTotal" t, whole w
    WHERE t."appId" = 'app_securevault' AND t.month >= w.first AND t.month < w.last
    GROUP BY 1, 2
    UNION ALL
    SELECT date_trunc('month', u."usedAt"), 'app_securevault', 0, count(*)
    FROM "securevault"."UsedLaunchToken" u, whole w
    WHERE u."usedAt" >= w.at AND u."usedAt" < least(w.first, "to")
    GROUP BY 1
    UNION ALL
    SELECT date_trunc('month', u."usedAt"), 'app_securevault', 0, count(*)
    FROM "securevault"."UsedLaunchToken" u, whole w
    WHERE u."usedAt" >= greatest(w.last, w.first) AND u."usedAt" >= w.at AND u."usedAt" < "to"
    GROUP BY 1
  ) counts
  WHERE issued <> 0 OR consumed <> 0
  GROUP BY 1, 2
$$;
