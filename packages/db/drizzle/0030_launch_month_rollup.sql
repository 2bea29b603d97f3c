CREATE TABLE "hub"."LaunchMonth" (
	"month" timestamp NOT NULL,
	"appId" text NOT NULL,
	"userId" text NOT NULL,
	"launches" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "LaunchMonth_month_appId_userId_pk" PRIMARY KEY("month","appId","userId")
);
--> statement-breakpoint
CREATE FUNCTION "hub"."Launch_month_rollup"() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, hub AS $$
BEGIN
  INSERT INTO "hub"."LaunchMonth" (month, "appId", "userId", launches)
  VALUES (date_trunc('month', NEW."createdAt"), NEW."appId", NEW."userId", 1)
  ON CONFLICT (month, "appId", "userId") DO UPDATE SET launches = "LaunchMonth".launches + 1;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "Launch_month_rollup" AFTER INSERT ON "hub"."Launch"
FOR EACH ROW EXECUTE FUNCTION "hub"."Launch_month_rollup"();--> statement-breakpoint
INSERT INTO "hub"."LaunchMonth" (month, "appId", "userId", launches)
SELECT date_trunc('month', "createdAt"), "appId", "userId", count(*) FROM "hub"."Launch" GROUP BY 1, 2, 3;--> statement-breakpoint
-- Issued hand-offs from the rollup; spent ones still counted from SVD's table, by the month they were spent.
CREATE OR REPLACE FUNCTION "hub"."LaunchHandoffs"("from" timestamp, "to" timestamp)
RETURNS TABLE("month" timestamp, "appId" text, "issued" bigint, "consumed" bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT month, "appId", sum(issued)::bigint, sum(consumed)::bigint FROM (
    SELECT m.month, m."appId", sum(m.launches) AS issued, 0 AS consumed
    FROM "hub"."LaunchMonth" m
    WHERE m.month >= date_trunc('month', "from") AND m.month < "to"
    GROUP BY 1, 2
    UNION ALL
    SELECT date_trunc('month', u."usedAt"), 'app_securevault', 0, count(*)
    FROM "securevault"."UsedLaunchToken" u
    WHERE u."usedAt" >= greatest("from", (SELECT min(l."createdAt") FROM "hub"."Launch" l)) AND u."usedAt" < "to"
    GROUP BY 1
  ) counts
  GROUP BY 1, 2
$$;
