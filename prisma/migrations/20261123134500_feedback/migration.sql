-- Feedback loop: an inbound message over INBOUND_MAX_BYTES is stored truncated and says so.
ALTER TABLE "inbound_messages" ADD COLUMN "truncated" BOOLEAN NOT NULL DEFAULT false;

-- Soft bounces of an address with no customer are counted by address.
CREATE INDEX "bounces_address_at_idx" ON "bounces"("address", "at");

-- A message polled from an IMAP mailbox is stored once: envelope_to names its mailbox and UID.
CREATE INDEX "inbound_messages_source_envelope_to_idx" ON "inbound_messages"("source", "envelope_to");
