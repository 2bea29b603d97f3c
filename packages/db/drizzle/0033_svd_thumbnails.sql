CREATE TABLE "securevault"."Thumbnail" (
	"documentId" text PRIMARY KEY NOT NULL,
	"sourceStorageKey" text NOT NULL,
	"status" text NOT NULL,
	"storageKey" text,
	"wrappedKey" text,
	"sizeBytes" integer,
	"width" integer,
	"height" integer,
	"note" text,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "Thumbnail_storageKey_unique" UNIQUE("storageKey"),
	CONSTRAINT "Thumbnail_status_check" CHECK ("securevault"."Thumbnail"."status" IN ('ready', 'failed')),
	CONSTRAINT "Thumbnail_ready_check" CHECK ("securevault"."Thumbnail"."status" <> 'ready' OR ("securevault"."Thumbnail"."storageKey" IS NOT NULL AND "securevault"."Thumbnail"."wrappedKey" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "securevault"."Thumbnail" ADD CONSTRAINT "Thumbnail_documentId_Document_id_fk" FOREIGN KEY ("documentId") REFERENCES "securevault"."Document"("id") ON DELETE cascade ON UPDATE no action;