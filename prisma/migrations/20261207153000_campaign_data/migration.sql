-- Template data declared per version, and the values a campaign gives them.
-- AlterTable
ALTER TABLE "template_versions" ADD COLUMN     "data_schema" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "data" JSONB NOT NULL DEFAULT '{}';
