-- Customer search (issue 21): GET /customers?q= matches each word of the query against the name
-- fields and the whole query against the email and the phone with ILIKE '%…%'. Trigram (GIN)
-- indexes let those run without reading every customer.

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "customers_first_name_trgm_idx" ON "customers" USING GIN ("first_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customers_last_name_trgm_idx" ON "customers" USING GIN ("last_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customers_patronymic_trgm_idx" ON "customers" USING GIN ("patronymic" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customers_company_name_trgm_idx" ON "customers" USING GIN ("company_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customers_email_trgm_idx" ON "customers" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customers_phone_trgm_idx" ON "customers" USING GIN ("phone" gin_trgm_ops);
