-- The send state machine gains `committing`: the final dot of SMTP DATA is being written, so
-- after a crash the message is treated as sent and never sent again.
ALTER TYPE "MessageStatus" ADD VALUE 'committing' AFTER 'sending';

-- The run feeder walks a run's queued messages in id order.
CREATE INDEX "messages_run_id_status_id_idx" ON "messages"("run_id", "status", "id");
