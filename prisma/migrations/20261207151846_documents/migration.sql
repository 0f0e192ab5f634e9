-- Attachments become documents with versions (issue 18). Every existing attachment becomes a
-- document with one version, under the same id, so campaigns' attachment ids still resolve;
-- its bytes move to document_contents (one row per distinct content, as before).

-- CreateEnum
CREATE TYPE "DocumentKind" AS ENUM ('attachment', 'image');

-- CreateEnum
CREATE TYPE "UnchangedDocumentPolicy" AS ENUM ('wait', 'warn', 'send');

-- AlterEnum
ALTER TYPE "RunStatus" ADD VALUE 'waiting' AFTER 'preparing';

-- DropForeignKey
ALTER TABLE "campaign_attachments" DROP CONSTRAINT "campaign_attachments_attachment_id_fkey";

-- AlterTable
ALTER TABLE "campaign_attachments" ADD COLUMN     "if_unchanged" "UnchangedDocumentPolicy" NOT NULL DEFAULT 'send';

-- CreateTable
CREATE TABLE "documents" (
    "id" SERIAL NOT NULL,
    "kind" "DocumentKind" NOT NULL DEFAULT 'attachment',
    "name" TEXT NOT NULL,
    "latest_version" INTEGER NOT NULL,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "document_versions" (
    "id" SERIAL NOT NULL,
    "document_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "document_contents" (
    "id" SERIAL NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_contents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_run_documents" (
    "run_id" INTEGER NOT NULL,
    "document_id" INTEGER NOT NULL,
    "version_id" INTEGER NOT NULL,
    "warning" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_run_documents_pkey" PRIMARY KEY ("run_id","document_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "document_versions_document_id_number_key" ON "document_versions"("document_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "document_contents_sha256_key" ON "document_contents"("sha256");

-- CreateIndex
CREATE INDEX "campaign_run_documents_document_id_run_id_idx" ON "campaign_run_documents"("document_id", "run_id");

-- AddForeignKey
ALTER TABLE "document_versions" ADD CONSTRAINT "document_versions_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_versions" ADD CONSTRAINT "document_versions_content_id_fkey" FOREIGN KEY ("content_id") REFERENCES "document_contents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_run_documents" ADD CONSTRAINT "campaign_run_documents_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "campaign_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_run_documents" ADD CONSTRAINT "campaign_run_documents_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_run_documents" ADD CONSTRAINT "campaign_run_documents_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Data: each attachment → its content, a document with the same id, and version 1.
INSERT INTO "document_contents" ("id", "sha256", "size", "data", "created_at")
SELECT "id", "sha256", "size", "data", "created_at" FROM "attachments";

INSERT INTO "documents" ("id", "kind", "name", "latest_version", "filename", "content_type", "size", "sha256", "created_at", "updated_at")
SELECT "id", 'attachment', "filename", 1, "filename", "content_type", "size", "sha256", "created_at", "created_at" FROM "attachments";

INSERT INTO "document_versions" ("document_id", "number", "filename", "content_type", "size", "sha256", "content_id", "created_at")
SELECT "id", 1, "filename", "content_type", "size", "sha256", "id", "created_at" FROM "attachments";

SELECT setval(pg_get_serial_sequence('document_contents', 'id'), COALESCE((SELECT MAX("id") FROM "document_contents"), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('documents', 'id'), COALESCE((SELECT MAX("id") FROM "documents"), 0) + 1, false);

-- DropTable
DROP TABLE "attachments";

-- After the data: the campaigns' attachment ids now name documents.
-- AddForeignKey
ALTER TABLE "campaign_attachments" ADD CONSTRAINT "campaign_attachments_attachment_id_fkey" FOREIGN KEY ("attachment_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
