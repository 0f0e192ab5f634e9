-- Local-time delivery (issue 18): a campaign may deliver at a local time in the zone of each recipient
-- and only inside a sending window there, both optional (null for campaigns without them).

-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "local_time" TEXT,
ADD COLUMN     "sending_window" JSONB;
