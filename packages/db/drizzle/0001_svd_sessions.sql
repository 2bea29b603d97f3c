CREATE TABLE "securevault"."Session" (
	"id" text PRIMARY KEY NOT NULL,
	"tokenHash" text NOT NULL,
	"userId" text NOT NULL,
	"hubSessionId" text NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"expiresAt" timestamp NOT NULL,
	CONSTRAINT "Session_tokenHash_unique" UNIQUE("tokenHash")
);
--> statement-breakpoint
CREATE TABLE "securevault"."UsedLaunchToken" (
	"jti" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"usedAt" timestamp DEFAULT now() NOT NULL,
	"expiresAt" timestamp NOT NULL
);
--> statement-breakpoint
CREATE INDEX "Session_userId_idx" ON "securevault"."Session" USING btree ("userId");--> statement-breakpoint
CREATE INDEX "Session_hubSessionId_idx" ON "securevault"."Session" USING btree ("hubSessionId");--> statement-breakpoint
CREATE INDEX "UsedLaunchToken_expiresAt_idx" ON "securevault"."UsedLaunchToken" USING btree ("expiresAt");