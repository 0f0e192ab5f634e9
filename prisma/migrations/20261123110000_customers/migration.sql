-- Customer base (issue 3): import progress, uploaded files kept in pieces for the worker, and the per-line issue report.

-- CreateEnum
CREATE TYPE "ImportIssueSeverity" AS ENUM ('error', 'warning');

-- AlterTable
ALTER TABLE "import_jobs" ADD COLUMN     "bytes_read" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "created_by" TEXT,
ADD COLUMN     "duplicate_rows" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failure" TEXT,
ADD COLUMN     "started_at" TIMESTAMP(3),
ADD COLUMN     "summary" JSONB,
ADD COLUMN     "total_bytes" BIGINT,
ADD COLUMN     "unchanged_rows" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "warning_count" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "import_chunks" (
    "import_job_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "import_chunks_pkey" PRIMARY KEY ("import_job_id","seq")
);

-- CreateTable
CREATE TABLE "import_issues" (
    "id" BIGSERIAL NOT NULL,
    "import_job_id" INTEGER NOT NULL,
    "severity" "ImportIssueSeverity" NOT NULL,
    "line" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "other_line" INTEGER,

    CONSTRAINT "import_issues_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "import_issues_import_job_id_severity_line_idx" ON "import_issues"("import_job_id", "severity", "line");

-- CreateIndex
CREATE INDEX "import_jobs_created_at_idx" ON "import_jobs"("created_at");

-- AddForeignKey
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_import_job_id_fkey" FOREIGN KEY ("import_job_id") REFERENCES "import_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_issues" ADD CONSTRAINT "import_issues_import_job_id_fkey" FOREIGN KEY ("import_job_id") REFERENCES "import_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

