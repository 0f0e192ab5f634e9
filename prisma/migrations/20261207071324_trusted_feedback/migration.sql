-- CreateEnum
CREATE TYPE "AddressChangeStatus" AS ENUM ('pending', 'confirmed', 'accepted', 'rejected');

-- AlterTable
ALTER TABLE "cleanup_log" ADD COLUMN     "applied_at" TIMESTAMP(3),
ADD COLUMN     "applied_by" TEXT;

-- CreateTable
CREATE TABLE "address_change_proposals" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "old_address" TEXT,
    "new_address" TEXT NOT NULL,
    "inbound_message_id" BIGINT,
    "proven" BOOLEAN NOT NULL,
    "status" "AddressChangeStatus" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMP(3),
    "decided_by" TEXT,
    "contact_id" INTEGER,

    CONSTRAINT "address_change_proposals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "address_change_proposals_status_created_at_idx" ON "address_change_proposals"("status", "created_at");

-- CreateIndex
CREATE INDEX "address_change_proposals_customer_id_idx" ON "address_change_proposals"("customer_id");

-- AddForeignKey
ALTER TABLE "address_change_proposals" ADD CONSTRAINT "address_change_proposals_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "address_change_proposals" ADD CONSTRAINT "address_change_proposals_inbound_message_id_fkey" FOREIGN KEY ("inbound_message_id") REFERENCES "inbound_messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;
