-- Explainable bounces (issue 20): each bounce keeps the classifier's evidence, the rule that
-- decided its reason and hardness, the status code and the matched line, shown on the admin
-- bounce report. Null for bounces recorded before.

-- AlterTable
ALTER TABLE "bounces" ADD COLUMN     "evidence" JSONB;
