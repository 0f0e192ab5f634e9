-- The admin UI's language and time zone per user, and a one-time flash per session (a new key shown once after a redirect).
-- AlterTable
ALTER TABLE "users" ADD COLUMN     "locale" TEXT NOT NULL DEFAULT 'ru',
ADD COLUMN     "time_zone" TEXT;

-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "flash" JSONB;
