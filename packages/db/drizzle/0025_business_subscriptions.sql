ALTER TABLE "hub"."Customer" ALTER COLUMN "userId" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "hub"."CheckoutSession" ADD COLUMN "organizationId" text;--> statement-breakpoint
ALTER TABLE "hub"."Customer" ADD COLUMN "organizationId" text;--> statement-breakpoint
ALTER TABLE "hub"."Subscription" ADD COLUMN "extraSeats" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "hub"."CheckoutSession" ADD CONSTRAINT "CheckoutSession_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "core"."Organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."Customer" ADD CONSTRAINT "Customer_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "core"."Organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."Subscription" ADD CONSTRAINT "Subscription_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "core"."Organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "Subscription_organizationId_appId_key" ON "hub"."Subscription" USING btree ("organizationId","appId") WHERE "hub"."Subscription"."organizationId" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "hub"."Customer" ADD CONSTRAINT "Customer_organizationId_unique" UNIQUE("organizationId");--> statement-breakpoint
ALTER TABLE "hub"."Customer" ADD CONSTRAINT "Customer_owner_check" CHECK (("hub"."Customer"."userId" IS NULL) <> ("hub"."Customer"."organizationId" IS NULL));--> statement-breakpoint
ALTER TABLE "hub"."Subscription" ADD CONSTRAINT "Subscription_owner_check" CHECK ("hub"."Subscription"."userId" IS NULL OR "hub"."Subscription"."organizationId" IS NULL);--> statement-breakpoint
ALTER TABLE "hub"."Subscription" ADD CONSTRAINT "Subscription_extraSeats_check" CHECK ("hub"."Subscription"."extraSeats" >= 0);