CREATE TABLE "hub"."BillingEvent" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"stripeCreatedAt" timestamp NOT NULL,
	"receivedAt" timestamp DEFAULT now() NOT NULL,
	"processedAt" timestamp,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"outcome" text,
	"outcomeReason" text,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub"."CheckoutSession" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"userId" text NOT NULL,
	"appId" text NOT NULL,
	"plan" text NOT NULL,
	"stripeSessionId" text,
	"status" text DEFAULT 'open' NOT NULL,
	"url" text,
	"returnUrl" text,
	"expiresAt" timestamp,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "CheckoutSession_stripeSessionId_unique" UNIQUE("stripeSessionId"),
	CONSTRAINT "CheckoutSession_status_check" CHECK ("hub"."CheckoutSession"."status" IN ('open', 'complete', 'expired'))
);
--> statement-breakpoint
CREATE TABLE "hub"."Customer" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"userId" text NOT NULL,
	"stripeCustomerId" text NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "Customer_userId_unique" UNIQUE("userId"),
	CONSTRAINT "Customer_stripeCustomerId_unique" UNIQUE("stripeCustomerId")
);
--> statement-breakpoint
ALTER TABLE "hub"."CheckoutSession" ADD CONSTRAINT "CheckoutSession_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."Customer" ADD CONSTRAINT "Customer_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "BillingEvent_type_idx" ON "hub"."BillingEvent" USING btree ("type");--> statement-breakpoint
CREATE INDEX "CheckoutSession_userId_appId_idx" ON "hub"."CheckoutSession" USING btree ("userId","appId");