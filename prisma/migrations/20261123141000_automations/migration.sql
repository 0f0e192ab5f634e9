-- Automations (issue 7): a welcome trigger remembers the newest customer it has seen, a firing
-- records the channel it chose or why it made no message, and birthday passes are recorded
-- per time zone and local date, so each zone is queried once a day.
ALTER TABLE "triggers" ADD COLUMN "last_customer_id" INTEGER;

ALTER TABLE "trigger_firings" ADD COLUMN "channel" "Channel",
ADD COLUMN "reason" TEXT;

-- CreateTable
CREATE TABLE "trigger_zone_runs" (
    "trigger_id" INTEGER NOT NULL,
    "time_zone" TEXT NOT NULL,
    "local_date" TEXT NOT NULL,
    "fired" INTEGER NOT NULL DEFAULT 0,
    "ran_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trigger_zone_runs_pkey" PRIMARY KEY ("trigger_id","time_zone","local_date")
);

-- Welcome second steps look up first steps by trigger, key and time.
CREATE INDEX "trigger_firings_trigger_id_occurrence_key_fired_at_idx" ON "trigger_firings"("trigger_id", "occurrence_key", "fired_at");

-- The release of held trigger messages joins firings by message.
CREATE INDEX "trigger_firings_message_id_idx" ON "trigger_firings"("message_id");

-- AddForeignKey
ALTER TABLE "trigger_zone_runs" ADD CONSTRAINT "trigger_zone_runs_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
