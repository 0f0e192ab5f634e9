-- Patience with 4xx answers (issue 19): each message counts the 4xx answers it got, its place
-- in SMTP_RETRY_SCHEDULE: a deferred message waits held until its next try.

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "deferrals" INTEGER NOT NULL DEFAULT 0;
