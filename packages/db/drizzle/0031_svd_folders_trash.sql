CREATE TABLE "securevault"."Folder" (
	"id" text PRIMARY KEY NOT NULL,
	"vaultId" text NOT NULL,
	"parentId" text,
	"name" text NOT NULL,
	"userId" text NOT NULL,
	"organizationId" text,
	"trashedAt" timestamp (3),
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "securevault"."TeamActivity" DROP CONSTRAINT "TeamActivity_action_check";--> statement-breakpoint
ALTER TABLE "securevault"."Document" ADD COLUMN "folderId" text;--> statement-breakpoint
ALTER TABLE "securevault"."Document" ADD COLUMN "trashedAt" timestamp (3);--> statement-breakpoint
ALTER TABLE "securevault"."Folder" ADD CONSTRAINT "Folder_vaultId_Vault_id_fk" FOREIGN KEY ("vaultId") REFERENCES "securevault"."Vault"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "securevault"."Folder" ADD CONSTRAINT "Folder_parentId_Folder_id_fk" FOREIGN KEY ("parentId") REFERENCES "securevault"."Folder"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "Folder_vaultId_parentId_name_key" ON "securevault"."Folder" USING btree ("vaultId",coalesce("parentId", ''),lower("name")) WHERE "securevault"."Folder"."trashedAt" IS NULL;--> statement-breakpoint
CREATE INDEX "Folder_parentId_idx" ON "securevault"."Folder" USING btree ("parentId");--> statement-breakpoint
CREATE INDEX "Folder_trashedAt_idx" ON "securevault"."Folder" USING btree ("trashedAt");--> statement-breakpoint
ALTER TABLE "securevault"."Document" ADD CONSTRAINT "Document_folderId_Folder_id_fk" FOREIGN KEY ("folderId") REFERENCES "securevault"."Folder"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "Document_folderId_idx" ON "securevault"."Document" USING btree ("folderId");--> statement-breakpoint
CREATE INDEX "Document_trashedAt_idx" ON "securevault"."Document" USING btree ("trashedAt");--> statement-breakpoint
ALTER TABLE "securevault"."TeamActivity" ADD CONSTRAINT "TeamActivity_action_check" CHECK ("securevault"."TeamActivity"."action" IN ('upload', 'download', 'rename', 'move', 'delete', 'create_vault', 'rename_vault', 'delete_vault', 'create_folder', 'rename_folder', 'move_folder', 'trash', 'restore', 'delete_permanently', 'empty_trash'));