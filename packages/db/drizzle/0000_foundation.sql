CREATE SCHEMA "core";
--> statement-breakpoint
CREATE SCHEMA "hub";
--> statement-breakpoint
CREATE SCHEMA "securevault";
--> statement-breakpoint
CREATE TABLE "core"."Account" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"accountId" text NOT NULL,
	"providerId" text NOT NULL,
	"accessToken" text,
	"refreshToken" text,
	"idToken" text,
	"accessTokenExpiresAt" timestamp,
	"refreshTokenExpiresAt" timestamp,
	"scope" text,
	"password" text,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "core"."Membership" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"userId" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "Membership_organizationId_userId_key" UNIQUE("organizationId","userId")
);
--> statement-breakpoint
CREATE TABLE "core"."Organization" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "Organization_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "core"."RateLimit" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"count" integer NOT NULL,
	"lastRequest" bigint NOT NULL,
	CONSTRAINT "RateLimit_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "core"."Session" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"token" text NOT NULL,
	"expiresAt" timestamp NOT NULL,
	"ipAddress" text,
	"userAgent" text,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "Session_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "core"."User" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"image" text,
	"accountType" text DEFAULT 'personal',
	"emailVerified" boolean DEFAULT false NOT NULL,
	"createdAt" timestamp DEFAULT now(),
	"updatedAt" timestamp DEFAULT now(),
	CONSTRAINT "User_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "core"."Verification" (
	"id" text PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expiresAt" timestamp NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub"."App" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"tagline" text NOT NULL,
	"description" text NOT NULL,
	"launchUrl" text,
	"sortOrder" integer DEFAULT 0 NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "App_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "hub"."Subscription" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text,
	"appId" text NOT NULL,
	"plan" text NOT NULL,
	"status" text DEFAULT 'active',
	"organizationId" text,
	"stripeSubscriptionId" text,
	"createdAt" timestamp DEFAULT now(),
	"updatedAt" timestamp DEFAULT now(),
	"stripeCustomerId" text,
	"stripePriceId" text,
	"currentPeriodEnd" timestamp,
	"trialEndsAt" timestamp,
	"cancelAtPeriodEnd" boolean DEFAULT false NOT NULL,
	"migratedAt" timestamp,
	"grandfatheredPriceCents" integer,
	"source" text DEFAULT 'hub' NOT NULL,
	CONSTRAINT "Subscription_userId_appId_key" UNIQUE("userId","appId"),
	CONSTRAINT "Subscription_status_check" CHECK ("hub"."Subscription"."status" IN ('active', 'past_due', 'canceled'))
);
--> statement-breakpoint
CREATE TABLE "securevault"."UserProfile" (
	"userId" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"accountType" text DEFAULT 'personal' NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	"lastLoginAt" timestamp
);
--> statement-breakpoint
ALTER TABLE "core"."Account" ADD CONSTRAINT "Account_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."Membership" ADD CONSTRAINT "Membership_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "core"."Organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."Membership" ADD CONSTRAINT "Membership_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."Session" ADD CONSTRAINT "Session_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."Subscription" ADD CONSTRAINT "Subscription_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "User_email_lower_key" ON "core"."User" USING btree (lower("email"));