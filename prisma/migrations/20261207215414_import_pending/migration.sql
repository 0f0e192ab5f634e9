-- Imports through the admin UI (issue 21): an uploaded file waits as a pending import job, its
-- chunks stored, while the marketer maps its columns, and becomes queued when started.

-- AlterEnum
ALTER TYPE "ImportStatus" ADD VALUE 'pending' BEFORE 'queued';
