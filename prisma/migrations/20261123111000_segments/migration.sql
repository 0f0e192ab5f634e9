-- Scoring settings (one row) and the history of scoring runs.

-- CreateEnum
CREATE TYPE "ScoringRunStatus" AS ENUM ('queued', 'running', 'completed', 'failed');

-- CreateTable
CREATE TABLE "scoring_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "config" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "scoring_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scoring_runs" (
    "id" SERIAL NOT NULL,
    "status" "ScoringRunStatus" NOT NULL DEFAULT 'queued',
    "trigger" TEXT NOT NULL,
    "config" JSONB,
    "scored_customers" INTEGER NOT NULL DEFAULT 0,
    "changed_customers" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "scoring_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "scoring_runs_created_at_idx" ON "scoring_runs"("created_at");

-- Rescoring rewrites the score columns of every customer whose scores changed: all of them on
-- the first run or after a change of settings. None of those columns is indexed, so when the
-- new row version fits on the same page PostgreSQL updates it in place (a HOT update) instead
-- of adding an entry to each of the table's indexes. Half of each page is kept free for that.
-- Measured on 1M customers: at fillfactor 80, 29 % of such updates were HOT and the update took
-- 35 s, at 50 99 % and 9.5 s. The table takes twice the pages while fresh, about what any
-- full rewrite leaves behind at a higher fillfactor anyway. Pages written from now on follow
-- it (existing pages after VACUUM FULL). schema.prisma cannot express this (the drift check
-- compares columns, indexes and constraints).
ALTER TABLE "customers" SET (fillfactor = 50);
