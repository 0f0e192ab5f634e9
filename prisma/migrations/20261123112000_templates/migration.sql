-- Templates (issue 5): an email and an SMS template may share a key ("order-shipped"), so the
-- key is unique per channel. Versions keep what a worker needs to render without MJML (the
-- compiled text part beside the compiled HTML), the declared data fields, the SMS segment
-- limit, a content hash (a default file already current is not saved again), whether the
-- version came from templates/, who saved it, and the warnings found on save.

-- DropIndex
DROP INDEX "templates_key_key";

-- AlterTable
ALTER TABLE "templates" ADD COLUMN     "description" TEXT;

-- AlterTable
ALTER TABLE "template_versions" ADD COLUMN     "compiled_text" TEXT,
ADD COLUMN     "content_hash" TEXT NOT NULL,
ADD COLUMN     "created_by" TEXT,
ADD COLUMN     "data_fields" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "from_file" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "max_segments" INTEGER,
ADD COLUMN     "warnings" JSONB NOT NULL DEFAULT '[]';

-- CreateIndex
CREATE UNIQUE INDEX "templates_channel_key_key" ON "templates"("channel", "key");
