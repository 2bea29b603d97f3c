CREATE TABLE "hub"."SubscriptionMetricsSnapshotKey" (
	"product" text NOT NULL,
	"monthStart" timestamp NOT NULL,
	"customer" text NOT NULL,
	"appId" text NOT NULL,
	"subscriptionId" text NOT NULL,
	"userId" text,
	"organizationId" text,
	"status" text NOT NULL,
	"monthlyAmountCents" integer,
	"trial" boolean NOT NULL,
	"occurredAt" bigint NOT NULL,
	"pastDueSince" bigint,
	"contribution" integer NOT NULL,
	"graceEnd" integer,
	"everCounted" boolean NOT NULL,
	"trialOpen" boolean NOT NULL,
	"trialCohort" text,
	CONSTRAINT "SubscriptionMetricsSnapshotKey_product_monthStart_customer_appId_pk" PRIMARY KEY("product","monthStart","customer","appId")
);
--> statement-breakpoint
ALTER TABLE "hub"."SubscriptionMetricsSnapshotKey" ADD CONSTRAINT "SubscriptionMetricsSnapshotKey_product_monthStart_SubscriptionMetricsSnapshot_product_monthStart_fk" FOREIGN KEY ("product","monthStart") REFERENCES "hub"."SubscriptionMetricsSnapshot"("product","monthStart") ON DELETE cascade ON UPDATE no action;