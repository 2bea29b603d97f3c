CREATE TABLE "hub"."Comp" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"userId" text NOT NULL,
	"appId" text NOT NULL,
	"plan" text NOT NULL,
	"reason" text NOT NULL,
	"startsAt" timestamp DEFAULT now() NOT NULL,
	"endsAt" timestamp NOT NULL,
	"grantedBy" text NOT NULL,
	"revokedAt" timestamp,
	"revokedBy" text,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "Comp_period_check" CHECK ("hub"."Comp"."endsAt" > "hub"."Comp"."startsAt"),
	CONSTRAINT "Comp_reason_check" CHECK (length(btrim("hub"."Comp"."reason")) > 0)
);
--> statement-breakpoint
ALTER TABLE "core"."User" ADD COLUMN "bannedAt" timestamp;--> statement-breakpoint
ALTER TABLE "core"."User" ADD COLUMN "banReason" text;--> statement-breakpoint
ALTER TABLE "hub"."Comp" ADD CONSTRAINT "Comp_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "Comp_userId_appId_idx" ON "hub"."Comp" USING btree ("userId","appId","endsAt");