CREATE TABLE "securevault"."VaultAccess" (
	"vaultId" text PRIMARY KEY NOT NULL,
	"organizationId" text NOT NULL,
	"userIds" text[] DEFAULT '{}'::text[] NOT NULL,
	"updatedBy" text NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "securevault"."VaultAccess" ADD CONSTRAINT "VaultAccess_vaultId_Vault_id_fk" FOREIGN KEY ("vaultId") REFERENCES "securevault"."Vault"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "VaultAccess_organizationId_idx" ON "securevault"."VaultAccess" USING btree ("organizationId");