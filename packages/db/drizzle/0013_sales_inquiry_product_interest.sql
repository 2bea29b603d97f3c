CREATE TABLE "hub"."CrossSellDismissal" (
	"userId" text NOT NULL,
	"appId" text NOT NULL,
	"dismissedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "CrossSellDismissal_userId_appId_pk" PRIMARY KEY("userId","appId")
);
--> statement-breakpoint
CREATE TABLE "hub"."ProductInterest" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"appId" text NOT NULL,
	"userId" text,
	"email" text NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "ProductInterest_appId_email_key" UNIQUE("appId","email"),
	CONSTRAINT "ProductInterest_userId_appId_key" UNIQUE("userId","appId")
);
--> statement-breakpoint
CREATE TABLE "hub"."SalesInquiry" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"appId" text NOT NULL,
	"userId" text,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"company" text NOT NULL,
	"seats" integer NOT NULL,
	"message" text NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hub"."CrossSellDismissal" ADD CONSTRAINT "CrossSellDismissal_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."ProductInterest" ADD CONSTRAINT "ProductInterest_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."SalesInquiry" ADD CONSTRAINT "SalesInquiry_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "SalesInquiry_createdAt_idx" ON "hub"."SalesInquiry" USING btree ("createdAt");