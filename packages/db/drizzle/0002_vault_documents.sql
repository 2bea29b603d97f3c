CREATE TABLE "securevault"."Document" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"vaultId" text NOT NULL,
	"name" text NOT NULL,
	"mimeType" text NOT NULL,
	"sizeBytes" bigint NOT NULL,
	"state" text DEFAULT 'uploading' NOT NULL,
	"storageKey" text,
	"wrappedKey" text,
	"sha256" text,
	"indexStatus" text DEFAULT 'pending' NOT NULL,
	"indexNote" text,
	"processingUnits" integer DEFAULT 0 NOT NULL,
	"pages" integer,
	"textContent" text,
	"searchVector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', coalesce("name", '') || ' ' || coalesce("textContent", ''))) STORED,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "Document_storageKey_unique" UNIQUE("storageKey"),
	CONSTRAINT "Document_state_check" CHECK ("securevault"."Document"."state" IN ('uploading', 'ready')),
	CONSTRAINT "Document_sizeBytes_check" CHECK ("securevault"."Document"."sizeBytes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "securevault"."ProcessingUsage" (
	"userId" text NOT NULL,
	"periodStart" timestamp NOT NULL,
	"unitsUsed" integer DEFAULT 0 NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "ProcessingUsage_userId_periodStart_pk" PRIMARY KEY("userId","periodStart")
);
--> statement-breakpoint
CREATE TABLE "securevault"."Vault" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"name" text NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "securevault"."Document" ADD CONSTRAINT "Document_vaultId_Vault_id_fk" FOREIGN KEY ("vaultId") REFERENCES "securevault"."Vault"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "Document_userId_vaultId_idx" ON "securevault"."Document" USING btree ("userId","vaultId");--> statement-breakpoint
CREATE INDEX "Document_searchVector_idx" ON "securevault"."Document" USING gin ("searchVector");--> statement-breakpoint
CREATE UNIQUE INDEX "Vault_userId_name_key" ON "securevault"."Vault" USING btree ("userId",lower("name"));