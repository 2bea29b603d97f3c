CREATE TABLE "securevault"."OrphanedBlob" (
	"storageKey" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"lastError" text NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "OrphanedBlob_reason_check" CHECK ("securevault"."OrphanedBlob"."reason" IN ('upload_failed', 'stale_upload', 'document_deleted'))
);
