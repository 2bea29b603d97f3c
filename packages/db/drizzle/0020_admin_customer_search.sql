-- Trigram indexes for the console's partial email and name search (issue 14).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "User_email_trgm_idx" ON "core"."User" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "User_name_trgm_idx" ON "core"."User" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "User_createdAt_idx" ON "core"."User" USING btree ("createdAt","id");--> statement-breakpoint
CREATE INDEX "Subscription_stripeSubscriptionId_idx" ON "hub"."Subscription" USING btree ("stripeSubscriptionId");--> statement-breakpoint
CREATE INDEX "Subscription_stripeCustomerId_idx" ON "hub"."Subscription" USING btree ("stripeCustomerId");--> statement-breakpoint
CREATE INDEX "Subscription_status_appId_idx" ON "hub"."Subscription" USING btree ("status","appId");--> statement-breakpoint
CREATE INDEX "Subscription_trialEndsAt_idx" ON "hub"."Subscription" USING btree ("trialEndsAt") WHERE "hub"."Subscription"."trialEndsAt" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "Subscription_migratedAt_idx" ON "hub"."Subscription" USING btree ("migratedAt") WHERE "hub"."Subscription"."migratedAt" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "UserProfile_createdAt_idx" ON "securevault"."UserProfile" USING btree ("createdAt");--> statement-breakpoint
CREATE VIEW "securevault"."UserUsage" AS (select "userId", sum("sizeBytes")::bigint as "storageBytes", (count(*) filter (where "state" = 'ready'))::int as "documentCount" from "securevault"."Document" group by "userId");