CREATE TABLE "hub"."AuditLog" (
	"id" text PRIMARY KEY NOT NULL,
	"actorUserId" text NOT NULL,
	"actorRole" text NOT NULL,
	"action" text NOT NULL,
	"targetUserId" text,
	"reason" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"requestId" text,
	"ipAddress" text,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "AuditLog_reason_check" CHECK (length(btrim("hub"."AuditLog"."reason")) > 0)
);
--> statement-breakpoint
ALTER TABLE "core"."User" ADD COLUMN "role" text DEFAULT 'user' NOT NULL;--> statement-breakpoint
CREATE INDEX "AuditLog_createdAt_idx" ON "hub"."AuditLog" USING btree ("createdAt");--> statement-breakpoint
CREATE INDEX "AuditLog_targetUserId_idx" ON "hub"."AuditLog" USING btree ("targetUserId","createdAt");--> statement-breakpoint
ALTER TABLE "core"."User" ADD CONSTRAINT "User_role_check" CHECK ("core"."User"."role" IN ('user', 'support', 'admin'));