CREATE TABLE "core"."Invitation" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"email" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"expiresAt" timestamp NOT NULL,
	"inviterId" text NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "Invitation_role_check" CHECK ("core"."Invitation"."role" IN ('admin', 'member', 'viewer')),
	CONSTRAINT "Invitation_status_check" CHECK ("core"."Invitation"."status" IN ('pending', 'accepted', 'rejected', 'canceled'))
);
--> statement-breakpoint
ALTER TABLE "core"."Organization" ADD COLUMN "billingEmail" text NOT NULL;--> statement-breakpoint
ALTER TABLE "core"."Organization" ADD COLUMN "logo" text;--> statement-breakpoint
ALTER TABLE "core"."Organization" ADD COLUMN "metadata" text;--> statement-breakpoint
ALTER TABLE "core"."Session" ADD COLUMN "activeOrganizationId" text;--> statement-breakpoint
ALTER TABLE "core"."Invitation" ADD CONSTRAINT "Invitation_organizationId_Organization_id_fk" FOREIGN KEY ("organizationId") REFERENCES "core"."Organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core"."Invitation" ADD CONSTRAINT "Invitation_inviterId_User_id_fk" FOREIGN KEY ("inviterId") REFERENCES "core"."User"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "Invitation_organizationId_idx" ON "core"."Invitation" USING btree ("organizationId");--> statement-breakpoint
CREATE INDEX "Invitation_email_idx" ON "core"."Invitation" USING btree (lower("email"));--> statement-breakpoint
ALTER TABLE "core"."Session" ADD CONSTRAINT "Session_activeOrganizationId_Organization_id_fk" FOREIGN KEY ("activeOrganizationId") REFERENCES "core"."Organization"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "Membership_userId_idx" ON "core"."Membership" USING btree ("userId");--> statement-breakpoint
CREATE UNIQUE INDEX "Membership_one_owner_key" ON "core"."Membership" USING btree ("organizationId") WHERE "core"."Membership"."role" = 'owner';--> statement-breakpoint
ALTER TABLE "core"."Membership" ADD CONSTRAINT "Membership_role_check" CHECK ("core"."Membership"."role" IN ('owner', 'admin', 'member', 'viewer'));