-- A NULL status read as live in SVD and at checkout but as "not subscribed" on the portal. SPEC §2 declares the
-- default 'active', so existing NULL rows take that value before the next migration makes the column NOT NULL.
UPDATE "hub"."Subscription" SET "status" = 'active' WHERE "status" IS NULL;
