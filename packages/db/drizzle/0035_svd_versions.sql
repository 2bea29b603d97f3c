CREATE TABLE "securevault"."DocumentVersion" (
	"id" text PRIMARY KEY NOT NULL,
	"documentId" text NOT NULL,
	"storageKey" text NOT NULL,
	"wrappedKey" text NOT NULL,
	"sizeBytes" bigint NOT NULL,
	"sha256" text,
	"mimeType" text NOT NULL,
	"uploadedBy" text NOT NULL,
	"createdAt" timestamp (3) NOT NULL,
	"replacedAt" timestamp (3) DEFAULT now() NOT NULL,
	"replacedBy" text NOT NULL,
	CONSTRAINT "DocumentVersion_storageKey_unique" UNIQUE("storageKey"),
	CONSTRAINT "DocumentVersion_sizeBytes_check" CHECK ("securevault"."DocumentVersion"."sizeBytes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "securevault"."VersionSetting" (
	"ownerKey" text PRIMARY KEY NOT NULL,
	"keepVersions" integer NOT NULL,
	"updatedAt" timestamp (3) DEFAULT now() NOT NULL,
	CONSTRAINT "VersionSetting_keepVersions_check" CHECK ("securevault"."VersionSetting"."keepVersions" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "securevault"."VersionUpload" (
	"documentId" text PRIMARY KEY NOT NULL,
	"targetDocumentId" text NOT NULL,
	"createdAt" timestamp (3) DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP VIEW "securevault"."UserUsage";--> statement-breakpoint
ALTER TABLE "securevault"."TeamActivity" DROP CONSTRAINT "TeamActivity_action_check";--> statement-breakpoint
ALTER TABLE "securevault"."DocumentVersion" ADD CONSTRAINT "DocumentVersion_documentId_Document_id_fk" FOREIGN KEY ("documentId") REFERENCES "securevault"."Document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "securevault"."VersionUpload" ADD CONSTRAINT "VersionUpload_documentId_Document_id_fk" FOREIGN KEY ("documentId") REFERENCES "securevault"."Document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "securevault"."VersionUpload" ADD CONSTRAINT "VersionUpload_targetDocumentId_Document_id_fk" FOREIGN KEY ("targetDocumentId") REFERENCES "securevault"."Document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "DocumentVersion_documentId_replacedAt_idx" ON "securevault"."DocumentVersion" USING btree ("documentId","replacedAt");--> statement-breakpoint
ALTER TABLE "securevault"."TeamActivity" ADD CONSTRAINT "TeamActivity_action_check" CHECK ("securevault"."TeamActivity"."action" IN ('upload', 'download', 'rename', 'move', 'delete', 'create_vault', 'rename_vault', 'delete_vault', 'create_folder', 'rename_folder', 'move_folder', 'trash', 'restore', 'delete_permanently', 'empty_trash', 'share_create', 'share_revoke', 'share_use', 'new_version', 'restore_version'));--> statement-breakpoint
CREATE VIEW "securevault"."StoredObject" AS (select "id" as "documentId", "userId", "organizationId", "vaultId", "state", "sizeBytes" from "securevault"."Document" union all select d."id", d."userId", d."organizationId", d."vaultId", 'version', v."sizeBytes" from "securevault"."DocumentVersion" v join "securevault"."Document" d on d."id" = v."documentId");--> statement-breakpoint
CREATE VIEW "securevault"."UserUsage" AS (select "userId", sum("sizeBytes")::bigint as "storageBytes", (count(*) filter (where "state" = 'ready'))::int as "documentCount" from "securevault"."StoredObject" where "organizationId" is null group by "userId");--> statement-breakpoint
-- A former version's blob is recorded for the sweep (npm run svd:sweep-blobs) whenever its row goes: pruned,
-- or cascaded from its document's permanent deletion. The row is gone, so the blob is unreadable either way.
CREATE FUNCTION "securevault"."DocumentVersion_orphan_blob"() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, securevault AS $$
BEGIN
  INSERT INTO "securevault"."OrphanedBlob" ("storageKey", reason, "lastError")
  VALUES (OLD."storageKey", 'document_deleted', 'The document version was deleted; its blob waits for the sweep.')
  ON CONFLICT ("storageKey") DO NOTHING;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "DocumentVersion_orphan_blob" AFTER DELETE ON "securevault"."DocumentVersion"
FOR EACH ROW EXECUTE FUNCTION "securevault"."DocumentVersion_orphan_blob"();
