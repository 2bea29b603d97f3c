CREATE INDEX "Document_name_trgm_idx" ON "securevault"."Document" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
-- Issue 16's badge states for documents indexed before them: nothing read is "No text"; a file the extractor
-- refused "could not be indexed: <reason>", as a failed extraction says it; "not indexed" stays for units spent.
UPDATE "securevault"."Document" SET "indexStatus" = 'no_text' WHERE "indexStatus" = 'indexed' AND coalesce(btrim("textContent"), '') = '';--> statement-breakpoint
UPDATE "securevault"."Document" SET "indexStatus" = 'failed', "indexNote" = 'could not be indexed: ' || "indexNote" WHERE "indexStatus" = 'not_indexed' AND "indexNote" IS NOT NULL AND "indexNote" NOT LIKE 'Not indexed:%';
