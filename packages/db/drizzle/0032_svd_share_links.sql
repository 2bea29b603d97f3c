CREATE TABLE "securevault"."ShareLink" (
	"id" text PRIMARY KEY NOT NULL,
	"tokenHash" text NOT NULL,
	"userId" text NOT NULL,
	"organizationId" text,
	"documentId" text,
	"folderId" text,
	"passwordHash" text,
	"expiresAt" timestamp (3) NOT NULL,
	"downloadLimit" integer,
	"downloadCount" integer DEFAULT 0 NOT NULL,
	"revokedAt" timestamp (3),
	"revokedBy" text,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	CONSTRAINT "ShareLink_tokenHash_unique" UNIQUE("tokenHash"),
	CONSTRAINT "ShareLink_target_check" CHECK (num_nonnulls("securevault"."ShareLink"."documentId", "securevault"."ShareLink"."folderId") = 1),
	CONSTRAINT "ShareLink_downloadLimit_check" CHECK ("securevault"."ShareLink"."downloadLimit" IS NULL OR "securevault"."ShareLink"."downloadLimit" > 0),
	CONSTRAINT "ShareLink_downloadCount_check" CHECK ("securevault"."ShareLink"."downloadCount" >= 0 AND ("securevault"."ShareLink"."downloadLimit" IS NULL OR "securevault"."ShareLink"."downloadCount" <= "securevault"."ShareLink"."downloadLimit"))
);
--> statement-breakpoint
CREATE TABLE "securevault"."ShareLinkUse" (
	"id" text PRIMARY KEY NOT NULL,
	"shareLinkId" text NOT NULL,
	"outcome" text NOT NULL,
	"ipAddress" text,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL,
	CONSTRAINT "ShareLinkUse_outcome_check" CHECK ("securevault"."ShareLinkUse"."outcome" IN ('downloaded', 'wrong_password', 'expired', 'revoked', 'exhausted', 'unavailable'))
);
--> statement-breakpoint
CREATE TABLE "securevault"."RateLimit" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"windowStart" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "securevault"."TeamActivity" DROP CONSTRAINT "TeamActivity_action_check";--> statement-breakpoint
ALTER TABLE "securevault"."ShareLink" ADD CONSTRAINT "ShareLink_documentId_Document_id_fk" FOREIGN KEY ("documentId") REFERENCES "securevault"."Document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "securevault"."ShareLink" ADD CONSTRAINT "ShareLink_folderId_Folder_id_fk" FOREIGN KEY ("folderId") REFERENCES "securevault"."Folder"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "securevault"."ShareLinkUse" ADD CONSTRAINT "ShareLinkUse_shareLinkId_ShareLink_id_fk" FOREIGN KEY ("shareLinkId") REFERENCES "securevault"."ShareLink"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ShareLink_organizationId_idx" ON "securevault"."ShareLink" USING btree ("organizationId");--> statement-breakpoint
CREATE INDEX "ShareLink_userId_idx" ON "securevault"."ShareLink" USING btree ("userId");--> statement-breakpoint
CREATE INDEX "ShareLink_documentId_idx" ON "securevault"."ShareLink" USING btree ("documentId");--> statement-breakpoint
CREATE INDEX "ShareLink_folderId_idx" ON "securevault"."ShareLink" USING btree ("folderId");--> statement-breakpoint
CREATE INDEX "ShareLinkUse_shareLinkId_createdAt_idx" ON "securevault"."ShareLinkUse" USING btree ("shareLinkId","createdAt");--> statement-breakpoint
ALTER TABLE "securevault"."TeamActivity" ADD CONSTRAINT "TeamActivity_action_check" CHECK ("securevault"."TeamActivity"."action" IN ('upload', 'download', 'rename', 'move', 'delete', 'create_vault', 'rename_vault', 'delete_vault', 'create_folder', 'rename_folder', 'move_folder', 'trash', 'restore', 'delete_permanently', 'empty_trash', 'share_create', 'share_revoke', 'share_use'));