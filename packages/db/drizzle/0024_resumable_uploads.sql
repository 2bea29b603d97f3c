CREATE TABLE "securevault"."ResumableUpload" (
	"id" text PRIMARY KEY NOT NULL,
	"documentId" text NOT NULL,
	"userId" text NOT NULL,
	"uploadLength" bigint NOT NULL,
	"receivedBytes" bigint DEFAULT 0 NOT NULL,
	"metadata" jsonb NOT NULL,
	"header" "bytea" NOT NULL,
	"parts" text[] DEFAULT '{}'::text[] NOT NULL,
	"tail" "bytea",
	"lockToken" text,
	"lockedUntil" timestamp,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	"expiresAt" timestamp NOT NULL,
	"completedAt" timestamp,
	CONSTRAINT "ResumableUpload_documentId_unique" UNIQUE("documentId"),
	CONSTRAINT "ResumableUpload_receivedBytes_check" CHECK ("securevault"."ResumableUpload"."receivedBytes" >= 0 AND "securevault"."ResumableUpload"."receivedBytes" <= "securevault"."ResumableUpload"."uploadLength")
);
--> statement-breakpoint
ALTER TABLE "securevault"."OrphanedBlob" DROP CONSTRAINT "OrphanedBlob_reason_check";--> statement-breakpoint
ALTER TABLE "securevault"."ResumableUpload" ADD CONSTRAINT "ResumableUpload_documentId_Document_id_fk" FOREIGN KEY ("documentId") REFERENCES "securevault"."Document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ResumableUpload_userId_idx" ON "securevault"."ResumableUpload" USING btree ("userId");--> statement-breakpoint
CREATE INDEX "ResumableUpload_expiresAt_idx" ON "securevault"."ResumableUpload" USING btree ("expiresAt");--> statement-breakpoint
ALTER TABLE "securevault"."OrphanedBlob" ADD CONSTRAINT "OrphanedBlob_reason_check" CHECK ("securevault"."OrphanedBlob"."reason" IN ('upload_failed', 'stale_upload', 'document_deleted', 'upload_part'));