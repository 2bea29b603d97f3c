CREATE TABLE "securevault"."TeamActivity" (
	"id" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"userId" text NOT NULL,
	"action" text NOT NULL,
	"documentId" text,
	"vaultId" text,
	"subject" text NOT NULL,
	"details" jsonb,
	"ipAddress" text,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "TeamActivity_action_check" CHECK ("securevault"."TeamActivity"."action" IN ('upload', 'download', 'rename', 'move', 'delete', 'create_vault', 'rename_vault', 'delete_vault'))
);
--> statement-breakpoint
DROP INDEX "securevault"."Vault_userId_name_key";--> statement-breakpoint
ALTER TABLE "securevault"."Document" ADD COLUMN "organizationId" text;--> statement-breakpoint
ALTER TABLE "securevault"."Session" ADD COLUMN "organizationId" text;--> statement-breakpoint
ALTER TABLE "securevault"."Vault" ADD COLUMN "organizationId" text;--> statement-breakpoint
CREATE INDEX "TeamActivity_organizationId_createdAt_idx" ON "securevault"."TeamActivity" USING btree ("organizationId","createdAt");--> statement-breakpoint
CREATE INDEX "Document_organizationId_vaultId_idx" ON "securevault"."Document" USING btree ("organizationId","vaultId");--> statement-breakpoint
CREATE UNIQUE INDEX "Vault_organizationId_name_key" ON "securevault"."Vault" USING btree ("organizationId",lower("name")) WHERE "securevault"."Vault"."organizationId" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "Vault_userId_name_key" ON "securevault"."Vault" USING btree ("userId",lower("name")) WHERE "securevault"."Vault"."organizationId" IS NULL;