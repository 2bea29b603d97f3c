CREATE TABLE "core"."TwoFactor" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"secret" text NOT NULL,
	"backupCodes" text NOT NULL,
	"verified" boolean DEFAULT true NOT NULL,
	"failedVerificationCount" integer DEFAULT 0 NOT NULL,
	"lockedUntil" timestamp
);
--> statement-breakpoint
ALTER TABLE "core"."User" ADD COLUMN "twoFactorEnabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "core"."TwoFactor" ADD CONSTRAINT "TwoFactor_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "TwoFactor_userId_key" ON "core"."TwoFactor" USING btree ("userId");