-- Issue 19: DKIM keys per sender domain, several selectors each (rotation). The private key
-- is stored encrypted with the SECRET_KEY ring (common/secret-box.ts).

-- CreateTable
CREATE TABLE "dkim_keys" (
    "id" SERIAL NOT NULL,
    "domain" TEXT NOT NULL,
    "selector" TEXT NOT NULL,
    "private_key_encrypted" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "bits" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dkim_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dkim_keys_domain_active_created_at_idx" ON "dkim_keys"("domain", "active", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "dkim_keys_domain_selector_key" ON "dkim_keys"("domain", "selector");
