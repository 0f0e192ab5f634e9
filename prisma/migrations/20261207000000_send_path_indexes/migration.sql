-- Send path (issue 6): the (status, lane) index of messages gives way to two partial indexes for
-- the sweep. On statistics gathered before a run froze its audience, the planner combined
-- (status, lane) with the primary key for the claim and for its frequency-cap count, scanning
-- every in-flight row of the run for each batch: about 1 ms of database time per message.

-- DropIndex
DROP INDEX "messages_status_lane_idx";

-- CreateIndex
CREATE INDEX "messages_transactional_unsettled_idx" ON "messages"("created_at") WHERE lane = 'transactional' AND status IN ('queued', 'sending', 'committing');

-- CreateIndex
CREATE INDEX "messages_held_idx" ON "messages"("scheduled_for") WHERE status = 'held';
