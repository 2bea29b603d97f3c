ALTER TABLE "securevault"."ProcessingUsage" DROP CONSTRAINT "ProcessingUsage_userId_periodStart_pk";--> statement-breakpoint
ALTER TABLE "securevault"."ProcessingUsage" ALTER COLUMN "userId" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "securevault"."ProcessingUsage" ADD COLUMN "id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL;--> statement-breakpoint
ALTER TABLE "securevault"."ProcessingUsage" ADD COLUMN "organizationId" text;--> statement-breakpoint
-- Until now a team's pooled units were kept under the organization's id in "userId" (issue 15's workaround): a row
-- whose "userId" is an organization's id is that team's, and moves to "organizationId". User and organization ids
-- are UUIDs that never collide, so no person's row is taken for a team's.
UPDATE "securevault"."ProcessingUsage" SET "organizationId" = "userId", "userId" = NULL
WHERE "userId" IN (SELECT "id" FROM "core"."Organization");--> statement-breakpoint
CREATE UNIQUE INDEX "ProcessingUsage_userId_periodStart_key" ON "securevault"."ProcessingUsage" USING btree ("userId","periodStart") WHERE "securevault"."ProcessingUsage"."userId" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ProcessingUsage_organizationId_periodStart_key" ON "securevault"."ProcessingUsage" USING btree ("organizationId","periodStart") WHERE "securevault"."ProcessingUsage"."organizationId" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "securevault"."ProcessingUsage" ADD CONSTRAINT "ProcessingUsage_owner_check" CHECK (("securevault"."ProcessingUsage"."userId" IS NULL) <> ("securevault"."ProcessingUsage"."organizationId" IS NULL));