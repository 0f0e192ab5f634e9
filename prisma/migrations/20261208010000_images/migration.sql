-- Images for templates (issue 22): one row per distinct content (sha256), the bytes in the
-- documents content store, and the template setting that embeds them as CID parts.

-- CreateTable
CREATE TABLE "images" (
    "id" SERIAL NOT NULL,
    "sha256" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "filename" TEXT NOT NULL,
    "content_id" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "images_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "images_sha256_key" ON "images"("sha256");

-- CreateIndex
CREATE INDEX "images_created_at_idx" ON "images"("created_at");

-- AddForeignKey
ALTER TABLE "images" ADD CONSTRAINT "images_content_id_fkey" FOREIGN KEY ("content_id") REFERENCES "document_contents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "templates" ADD COLUMN "embed_images" BOOLEAN NOT NULL DEFAULT false;
