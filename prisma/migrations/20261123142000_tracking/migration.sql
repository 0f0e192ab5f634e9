-- Tracking and reports (issue 9): preference-page pauses, and the indexes the campaign report
-- needs to count replies and leads per campaign without scanning the inbound tables.

-- CreateTable
CREATE TABLE "consent_pauses" (
    "customer_id" INTEGER NOT NULL,
    "channel" "Channel" NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "message_id" BIGINT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMP(3),
    "ended_how" TEXT,

    CONSTRAINT "consent_pauses_pkey" PRIMARY KEY ("customer_id","channel")
);

-- CreateIndex
CREATE INDEX "consent_pauses_ended_at_until_idx" ON "consent_pauses"("ended_at", "until");

-- CreateIndex
CREATE INDEX "inbound_messages_campaign_id_kind_idx" ON "inbound_messages"("campaign_id", "kind");

-- CreateIndex
CREATE INDEX "leads_campaign_id_idx" ON "leads"("campaign_id");

-- AddForeignKey
ALTER TABLE "consent_pauses" ADD CONSTRAINT "consent_pauses_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
