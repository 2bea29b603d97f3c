CREATE TABLE "hub"."AccountClaim" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"userId" text NOT NULL,
	"tokenHash" text NOT NULL,
	"expiresAt" timestamp NOT NULL,
	"usedAt" timestamp,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "AccountClaim_tokenHash_unique" UNIQUE("tokenHash")
);
--> statement-breakpoint
CREATE TABLE "hub"."LegacyPrice" (
	"stripePriceId" text PRIMARY KEY NOT NULL,
	"appId" text NOT NULL,
	"plan" text NOT NULL,
	"monthlyPriceCents" integer,
	"createdAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hub"."OutgoingEmail" DROP CONSTRAINT "OutgoingEmail_status_check";--> statement-breakpoint
ALTER TABLE "hub"."OutgoingEmail" ADD COLUMN "sendAfter" timestamp;--> statement-breakpoint
ALTER TABLE "hub"."AccountClaim" ADD CONSTRAINT "AccountClaim_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "AccountClaim_userId_idx" ON "hub"."AccountClaim" USING btree ("userId");--> statement-breakpoint
CREATE INDEX "Document_userId_sha256_idx" ON "securevault"."Document" USING btree ("userId","sha256");--> statement-breakpoint
ALTER TABLE "hub"."OutgoingEmail" ADD CONSTRAINT "OutgoingEmail_status_check" CHECK ("hub"."OutgoingEmail"."status" IN ('queued', 'sending', 'retrying', 'sent', 'failed', 'withdrawn'));