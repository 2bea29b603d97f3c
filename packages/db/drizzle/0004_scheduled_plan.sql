ALTER TABLE "hub"."Subscription" ADD COLUMN "scheduledPlan" text;--> statement-breakpoint
ALTER TABLE "hub"."Subscription" ADD COLUMN "scheduledPlanAt" timestamp;