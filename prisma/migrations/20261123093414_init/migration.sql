-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CustomerKind" AS ENUM ('person', 'company');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('email', 'sms');

-- CreateEnum
CREATE TYPE "ConsentStatus" AS ENUM ('opted_in', 'opted_out', 'pending');

-- CreateEnum
CREATE TYPE "SuppressionReason" AS ENUM ('hard_bounce', 'complaint', 'unsubscribe', 'manual', 'soft_bounce_repeated', 'erased');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('created', 'paid', 'shipped', 'delivered', 'cancelled');

-- CreateEnum
CREATE TYPE "TemplateChannel" AS ENUM ('email', 'sms');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'failed');

-- CreateEnum
CREATE TYPE "ScheduleKind" AS ENUM ('now', 'at', 'recurring');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('preparing', 'sending', 'paused', 'completed', 'cancelled', 'failed');

-- CreateEnum
CREATE TYPE "Lane" AS ENUM ('bulk', 'transactional');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('queued', 'held', 'sending', 'sent', 'delivered', 'soft_bounced', 'hard_bounced', 'complained', 'failed', 'suppressed', 'skipped', 'cancelled');

-- CreateEnum
CREATE TYPE "TrackingEventType" AS ENUM ('open', 'click', 'unsubscribe');

-- CreateEnum
CREATE TYPE "InboundSource" AS ENUM ('smtp', 'imap', 'webhook_ses', 'webhook_sendgrid', 'webhook_mailgun', 'webhook_postmark', 'sms', 'sms_report', 'api');

-- CreateEnum
CREATE TYPE "InboundStatus" AS ENUM ('received', 'classified', 'applied', 'unclassified');

-- CreateEnum
CREATE TYPE "InboundKind" AS ENUM ('bounce', 'complaint', 'autoreply', 'reply', 'delivered', 'unknown');

-- CreateEnum
CREATE TYPE "LeadStatus" AS ENUM ('new', 'contacted', 'won', 'lost');

-- CreateEnum
CREATE TYPE "ComplaintKind" AS ENUM ('feedback_loop', 'reclamation');

-- CreateEnum
CREATE TYPE "ComplaintStatus" AS ENUM ('open', 'resolved');

-- CreateEnum
CREATE TYPE "TriggerType" AS ENUM ('birthday', 'order_status', 'welcome', 'win_back', 're_engagement', 'event');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'marketer', 'viewer');

-- CreateEnum
CREATE TYPE "ImportKind" AS ENUM ('customers', 'orders');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('queued', 'running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "ProviderKind" AS ENUM ('capture', 'smtp', 'sms_http', 'sms_smsru');

-- CreateTable
CREATE TABLE "customers" (
    "id" SERIAL NOT NULL,
    "external_id" TEXT,
    "kind" "CustomerKind" NOT NULL DEFAULT 'person',
    "company_id" INTEGER,
    "position" TEXT,
    "first_name" TEXT,
    "patronymic" TEXT,
    "last_name" TEXT,
    "company_name" TEXT,
    "email" TEXT,
    "email_valid" BOOLEAN NOT NULL DEFAULT true,
    "phone" TEXT,
    "phone_valid" BOOLEAN NOT NULL DEFAULT true,
    "birthday" DATE,
    "time_zone" TEXT NOT NULL DEFAULT 'Europe/Moscow',
    "locale" TEXT NOT NULL DEFAULT 'ru',
    "source" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "registered_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "first_order_at" TIMESTAMP(3),
    "last_order_at" TIMESTAMP(3),
    "order_count" INTEGER NOT NULL DEFAULT 0,
    "order_sum" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "rfm_recency" SMALLINT,
    "rfm_frequency" SMALLINT,
    "rfm_monetary" SMALLINT,
    "rfm_cell" TEXT,
    "rfm_group" TEXT,
    "abc_class" CHAR(1),
    "xyz_class" CHAR(1),
    "rating" CHAR(1),
    "scored_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "erased_at" TIMESTAMP(3),

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consents" (
    "customer_id" INTEGER NOT NULL,
    "channel" "Channel" NOT NULL,
    "status" "ConsentStatus" NOT NULL,
    "source" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "proof_ip" TEXT,
    "proof_form" TEXT,
    "proof_file" TEXT,

    CONSTRAINT "consents_pkey" PRIMARY KEY ("customer_id","channel")
);

-- CreateTable
CREATE TABLE "consent_events" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "channel" "Channel" NOT NULL,
    "status" "ConsentStatus" NOT NULL,
    "source" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "proof_ip" TEXT,
    "proof_form" TEXT,
    "proof_file" TEXT,

    CONSTRAINT "consent_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppressions" (
    "id" SERIAL NOT NULL,
    "channel" "Channel" NOT NULL,
    "address_hash" TEXT NOT NULL,
    "address" TEXT,
    "reason" "SuppressionReason" NOT NULL,
    "source" TEXT,
    "customer_id" INTEGER,
    "evidence_id" BIGINT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppressions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" SERIAL NOT NULL,
    "external_id" TEXT,
    "customer_id" INTEGER NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'created',
    "total" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "currency" CHAR(3) NOT NULL DEFAULT 'RUB',
    "ordered_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tracking_number" TEXT,
    "delivery_from" TIMESTAMP(3),
    "delivery_to" TIMESTAMP(3),
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_items" (
    "id" SERIAL NOT NULL,
    "order_id" INTEGER NOT NULL,
    "product_id" TEXT NOT NULL,
    "name" TEXT,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "price" DECIMAL(14,2) NOT NULL DEFAULT 0,

    CONSTRAINT "order_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_events" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "customer_id" INTEGER,
    "properties" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_jobs" (
    "id" SERIAL NOT NULL,
    "kind" "ImportKind" NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'queued',
    "filename" TEXT,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "options" JSONB NOT NULL DEFAULT '{}',
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "inserted_rows" INTEGER NOT NULL DEFAULT 0,
    "updated_rows" INTEGER NOT NULL DEFAULT 0,
    "error_rows" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "import_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segments" (
    "id" SERIAL NOT NULL,
    "key" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "rules" JSONB NOT NULL,
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "segments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "templates" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel" "TemplateChannel" NOT NULL,
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "template_versions" (
    "id" SERIAL NOT NULL,
    "template_id" INTEGER NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'ru',
    "version" INTEGER NOT NULL,
    "subject" TEXT,
    "preheader" TEXT,
    "body" TEXT NOT NULL,
    "text_override" TEXT,
    "compiled_html" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "template_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attachments" (
    "id" SERIAL NOT NULL,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attachments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "providers" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "kind" "ProviderKind" NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "per_second" INTEGER,
    "per_hour" INTEGER,
    "concurrency" INTEGER NOT NULL DEFAULT 4,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "senders" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "channel" "Channel" NOT NULL DEFAULT 'email',
    "from_address" TEXT NOT NULL,
    "from_name" TEXT,
    "reply_to" TEXT,
    "bounce_domain" TEXT,
    "feedback_id" TEXT,
    "provider_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "senders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'draft',
    "status_reason" TEXT,
    "template_id" INTEGER NOT NULL,
    "segment_id" INTEGER,
    "sender_id" INTEGER,
    "schedule_kind" "ScheduleKind" NOT NULL DEFAULT 'now',
    "scheduled_at" TIMESTAMP(3),
    "cron" TEXT,
    "time_zone" TEXT NOT NULL DEFAULT 'Europe/Moscow',
    "next_run_at" TIMESTAMP(3),
    "ab_test" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_attachments" (
    "campaign_id" INTEGER NOT NULL,
    "attachment_id" INTEGER NOT NULL,

    CONSTRAINT "campaign_attachments_pkey" PRIMARY KEY ("campaign_id","attachment_id")
);

-- CreateTable
CREATE TABLE "campaign_runs" (
    "id" SERIAL NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "occurrence_at" TIMESTAMP(3) NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'preparing',
    "status_reason" TEXT,
    "audience_count" INTEGER NOT NULL DEFAULT 0,
    "ab_winner" TEXT,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" BIGSERIAL NOT NULL,
    "run_id" INTEGER,
    "campaign_id" INTEGER,
    "customer_id" INTEGER,
    "channel" "Channel" NOT NULL,
    "lane" "Lane" NOT NULL DEFAULT 'bulk',
    "status" "MessageStatus" NOT NULL DEFAULT 'queued',
    "status_reason" TEXT,
    "variant" TEXT,
    "template_version_id" INTEGER,
    "to_address" TEXT,
    "data" JSONB,
    "idempotency_key" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "header_message_id" TEXT,
    "provider_message_id" TEXT,
    "scheduled_for" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sending_at" TIMESTAMP(3),
    "sent_at" TIMESTAMP(3),
    "delivered_at" TIMESTAMP(3),
    "opened_at" TIMESTAMP(3),
    "clicked_at" TIMESTAMP(3),

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tracking_events" (
    "id" BIGSERIAL NOT NULL,
    "type" "TrackingEventType" NOT NULL,
    "message_id" BIGINT NOT NULL,
    "customer_id" INTEGER,
    "campaign_id" INTEGER,
    "url" TEXT,
    "link_index" INTEGER,
    "is_bot" BOOLEAN NOT NULL DEFAULT false,
    "user_agent" TEXT,
    "ip" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tracking_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" BIGSERIAL NOT NULL,
    "channel" "Channel" NOT NULL,
    "message_id" BIGINT,
    "to_address" TEXT NOT NULL,
    "from_address" TEXT,
    "subject" TEXT,
    "text" TEXT,
    "html" TEXT,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "raw" BYTEA,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_messages" (
    "id" BIGSERIAL NOT NULL,
    "source" "InboundSource" NOT NULL,
    "status" "InboundStatus" NOT NULL DEFAULT 'received',
    "kind" "InboundKind",
    "raw" BYTEA NOT NULL,
    "raw_size" INTEGER NOT NULL,
    "envelope_from" TEXT,
    "envelope_to" TEXT,
    "from_address" TEXT,
    "subject" TEXT,
    "classification" JSONB,
    "error" TEXT,
    "message_id" BIGINT,
    "customer_id" INTEGER,
    "campaign_id" INTEGER,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMP(3),

    CONSTRAINT "inbound_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bounces" (
    "id" SERIAL NOT NULL,
    "channel" "Channel" NOT NULL DEFAULT 'email',
    "address" TEXT,
    "domain" TEXT,
    "hard" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "status_code" TEXT,
    "diagnostic" TEXT,
    "customer_id" INTEGER,
    "message_id" BIGINT,
    "campaign_id" INTEGER,
    "inbound_message_id" BIGINT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bounces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "leads" (
    "id" SERIAL NOT NULL,
    "status" "LeadStatus" NOT NULL DEFAULT 'new',
    "customer_id" INTEGER,
    "campaign_id" INTEGER,
    "message_id" BIGINT,
    "inbound_message_id" BIGINT,
    "from_address" TEXT,
    "subject" TEXT,
    "text" TEXT,
    "forwarded_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "leads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "complaints" (
    "id" SERIAL NOT NULL,
    "kind" "ComplaintKind" NOT NULL,
    "status" "ComplaintStatus" NOT NULL DEFAULT 'open',
    "customer_id" INTEGER,
    "campaign_id" INTEGER,
    "message_id" BIGINT,
    "inbound_message_id" BIGINT,
    "feedback_type" TEXT,
    "text" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "complaints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cleanup_log" (
    "id" SERIAL NOT NULL,
    "action" TEXT NOT NULL,
    "channel" "Channel",
    "address" TEXT,
    "reason" TEXT,
    "customer_id" INTEGER,
    "inbound_message_id" BIGINT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undone_at" TIMESTAMP(3),
    "undone_by" TEXT,

    CONSTRAINT "cleanup_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "triggers" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "type" "TriggerType" NOT NULL,
    "channels" "Channel"[],
    "template_id" INTEGER NOT NULL,
    "segment_id" INTEGER,
    "delay_minutes" INTEGER NOT NULL DEFAULT 0,
    "config" JSONB NOT NULL DEFAULT '{}',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "triggers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trigger_firings" (
    "id" SERIAL NOT NULL,
    "trigger_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "occurrence_key" TEXT NOT NULL,
    "message_id" BIGINT,
    "fired_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trigger_firings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMP(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "customers_external_id_key" ON "customers"("external_id");

-- CreateIndex
CREATE INDEX "customers_email_idx" ON "customers"("email");

-- CreateIndex
CREATE INDEX "customers_phone_idx" ON "customers"("phone");

-- CreateIndex
CREATE INDEX "customers_company_id_idx" ON "customers"("company_id");

-- CreateIndex
CREATE INDEX "customers_birthday_idx" ON "customers"("birthday");

-- CreateIndex
CREATE INDEX "customers_last_order_at_idx" ON "customers"("last_order_at");

-- CreateIndex
CREATE INDEX "consents_channel_status_idx" ON "consents"("channel", "status");

-- CreateIndex
CREATE INDEX "consent_events_customer_id_at_idx" ON "consent_events"("customer_id", "at");

-- CreateIndex
CREATE INDEX "suppressions_created_at_idx" ON "suppressions"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "suppressions_channel_address_hash_key" ON "suppressions"("channel", "address_hash");

-- CreateIndex
CREATE UNIQUE INDEX "orders_external_id_key" ON "orders"("external_id");

-- CreateIndex
CREATE INDEX "orders_customer_id_ordered_at_idx" ON "orders"("customer_id", "ordered_at");

-- CreateIndex
CREATE INDEX "orders_ordered_at_idx" ON "orders"("ordered_at");

-- CreateIndex
CREATE INDEX "order_items_order_id_idx" ON "order_items"("order_id");

-- CreateIndex
CREATE INDEX "order_items_product_id_idx" ON "order_items"("product_id");

-- CreateIndex
CREATE INDEX "customer_events_customer_id_at_idx" ON "customer_events"("customer_id", "at");

-- CreateIndex
CREATE INDEX "customer_events_name_at_idx" ON "customer_events"("name", "at");

-- CreateIndex
CREATE UNIQUE INDEX "segments_key_key" ON "segments"("key");

-- CreateIndex
CREATE UNIQUE INDEX "templates_key_key" ON "templates"("key");

-- CreateIndex
CREATE UNIQUE INDEX "template_versions_template_id_locale_version_key" ON "template_versions"("template_id", "locale", "version");

-- CreateIndex
CREATE UNIQUE INDEX "attachments_sha256_key" ON "attachments"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "providers_name_key" ON "providers"("name");

-- CreateIndex
CREATE UNIQUE INDEX "senders_name_key" ON "senders"("name");

-- CreateIndex
CREATE INDEX "campaigns_status_next_run_at_idx" ON "campaigns"("status", "next_run_at");

-- CreateIndex
CREATE UNIQUE INDEX "campaign_runs_campaign_id_occurrence_at_key" ON "campaign_runs"("campaign_id", "occurrence_at");

-- CreateIndex
CREATE UNIQUE INDEX "messages_idempotency_key_key" ON "messages"("idempotency_key");

-- CreateIndex
CREATE INDEX "messages_status_lane_idx" ON "messages"("status", "lane");

-- CreateIndex
CREATE INDEX "messages_customer_id_created_at_idx" ON "messages"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "messages_campaign_id_status_idx" ON "messages"("campaign_id", "status");

-- CreateIndex
CREATE INDEX "messages_header_message_id_idx" ON "messages"("header_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "messages_run_id_customer_id_key" ON "messages"("run_id", "customer_id");

-- CreateIndex
CREATE INDEX "tracking_events_message_id_idx" ON "tracking_events"("message_id");

-- CreateIndex
CREATE INDEX "tracking_events_campaign_id_type_idx" ON "tracking_events"("campaign_id", "type");

-- CreateIndex
CREATE INDEX "tracking_events_customer_id_at_idx" ON "tracking_events"("customer_id", "at");

-- CreateIndex
CREATE INDEX "outbox_messages_created_at_idx" ON "outbox_messages"("created_at");

-- CreateIndex
CREATE INDEX "outbox_messages_message_id_idx" ON "outbox_messages"("message_id");

-- CreateIndex
CREATE INDEX "inbound_messages_status_received_at_idx" ON "inbound_messages"("status", "received_at");

-- CreateIndex
CREATE INDEX "inbound_messages_kind_received_at_idx" ON "inbound_messages"("kind", "received_at");

-- CreateIndex
CREATE INDEX "bounces_customer_id_at_idx" ON "bounces"("customer_id", "at");

-- CreateIndex
CREATE INDEX "bounces_campaign_id_idx" ON "bounces"("campaign_id");

-- CreateIndex
CREATE INDEX "bounces_at_idx" ON "bounces"("at");

-- CreateIndex
CREATE INDEX "leads_status_created_at_idx" ON "leads"("status", "created_at");

-- CreateIndex
CREATE INDEX "complaints_kind_created_at_idx" ON "complaints"("kind", "created_at");

-- CreateIndex
CREATE INDEX "complaints_campaign_id_idx" ON "complaints"("campaign_id");

-- CreateIndex
CREATE INDEX "cleanup_log_created_at_idx" ON "cleanup_log"("created_at");

-- CreateIndex
CREATE INDEX "cleanup_log_customer_id_idx" ON "cleanup_log"("customer_id");

-- CreateIndex
CREATE INDEX "triggers_type_active_idx" ON "triggers"("type", "active");

-- CreateIndex
CREATE UNIQUE INDEX "trigger_firings_trigger_id_customer_id_occurrence_key_key" ON "trigger_firings"("trigger_id", "customer_id", "occurrence_key");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consents" ADD CONSTRAINT "consents_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_events" ADD CONSTRAINT "customer_events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "senders" ADD CONSTRAINT "senders_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_sender_id_fkey" FOREIGN KEY ("sender_id") REFERENCES "senders"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_attachments" ADD CONSTRAINT "campaign_attachments_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_attachments" ADD CONSTRAINT "campaign_attachments_attachment_id_fkey" FOREIGN KEY ("attachment_id") REFERENCES "attachments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_runs" ADD CONSTRAINT "campaign_runs_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "campaign_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_template_version_id_fkey" FOREIGN KEY ("template_version_id") REFERENCES "template_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tracking_events" ADD CONSTRAINT "tracking_events_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tracking_events" ADD CONSTRAINT "tracking_events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bounces" ADD CONSTRAINT "bounces_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bounces" ADD CONSTRAINT "bounces_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bounces" ADD CONSTRAINT "bounces_inbound_message_id_fkey" FOREIGN KEY ("inbound_message_id") REFERENCES "inbound_messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "leads" ADD CONSTRAINT "leads_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "leads" ADD CONSTRAINT "leads_inbound_message_id_fkey" FOREIGN KEY ("inbound_message_id") REFERENCES "inbound_messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_inbound_message_id_fkey" FOREIGN KEY ("inbound_message_id") REFERENCES "inbound_messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cleanup_log" ADD CONSTRAINT "cleanup_log_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cleanup_log" ADD CONSTRAINT "cleanup_log_inbound_message_id_fkey" FOREIGN KEY ("inbound_message_id") REFERENCES "inbound_messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trigger_firings" ADD CONSTRAINT "trigger_firings_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trigger_firings" ADD CONSTRAINT "trigger_firings_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trigger_firings" ADD CONSTRAINT "trigger_firings_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
