-- Custom headers per sender and per campaign (issue 19): name to Handlebars value, rendered
-- per message and signed by DKIM. Headers Otklik writes itself are refused by the API.

-- AlterTable
ALTER TABLE "senders" ADD COLUMN     "headers" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "headers" JSONB NOT NULL DEFAULT '{}';
