CREATE INDEX "Session_userId_createdAt_idx" ON "core"."Session" USING btree ("userId","createdAt");--> statement-breakpoint
CREATE INDEX "BillingEvent_customer_idx" ON "hub"."BillingEvent" USING btree (("payload" #>> '{data,object,customer}'),"stripeCreatedAt");--> statement-breakpoint
CREATE INDEX "OutgoingEmail_userId_createdAt_idx" ON "hub"."OutgoingEmail" USING btree ("userId","createdAt");--> statement-breakpoint
CREATE VIEW "securevault"."SessionActivity" AS (select "userId", "hubSessionId", "createdAt", "expiresAt" from "securevault"."Session");