CREATE TABLE "hub"."OutgoingEmail" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"kind" text NOT NULL,
	"userId" text,
	"from" text NOT NULL,
	"to" text NOT NULL,
	"subject" text NOT NULL,
	"html" text NOT NULL,
	"text" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lastError" text,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	"sentAt" timestamp,
	CONSTRAINT "OutgoingEmail_status_check" CHECK ("hub"."OutgoingEmail"."status" IN ('queued', 'sending', 'retrying', 'sent', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "hub"."OutgoingEmail" ADD CONSTRAINT "OutgoingEmail_userId_User_id_fk" FOREIGN KEY ("userId") REFERENCES "core"."User"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "OutgoingEmail_to_idx" ON "hub"."OutgoingEmail" USING btree ("to");--> statement-breakpoint
CREATE INDEX "OutgoingEmail_status_idx" ON "hub"."OutgoingEmail" USING btree ("status");