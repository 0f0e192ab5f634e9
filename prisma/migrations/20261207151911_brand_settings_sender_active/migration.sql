-- Issue 18: brand and senders are settings, not SQL. A sender can be disabled, and the brand is one
-- row (id 1, the only id BrandRepository writes) of typed columns.

-- AlterTable
ALTER TABLE "senders" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "brand_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "name" TEXT,
    "address" TEXT,
    "website" TEXT,
    "logo_url" TEXT,
    "support_email" TEXT,
    "support_phone" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "brand_settings_pkey" PRIMARY KEY ("id")
);
