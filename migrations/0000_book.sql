CREATE TABLE "account_cash" (
	"tenant_id" text NOT NULL,
	"household_id" text NOT NULL,
	"account_id" text NOT NULL,
	"cash" numeric(20, 2) NOT NULL,
	CONSTRAINT "account_cash_tenant_id_household_id_account_id_pk" PRIMARY KEY("tenant_id","household_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"tenant_id" text NOT NULL,
	"household_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"owner" text NOT NULL,
	"lot_method" text,
	"custodian" text,
	"external_number" text,
	"title" text,
	"ord" integer NOT NULL,
	CONSTRAINT "accounts_tenant_id_household_id_id_pk" PRIMARY KEY("tenant_id","household_id","id")
);
--> statement-breakpoint
CREATE TABLE "dispositions" (
	"tenant_id" text NOT NULL,
	"household_id" text NOT NULL,
	"ord" integer NOT NULL,
	"sale_id" text NOT NULL,
	"date" date NOT NULL,
	"account_id" text NOT NULL,
	"symbol" text NOT NULL,
	"lot_id" text NOT NULL,
	"origin" text NOT NULL,
	"shares" numeric(24, 6) NOT NULL,
	"acquired" date NOT NULL,
	"held_from" date NOT NULL,
	"proceeds" numeric(20, 2) NOT NULL,
	"basis" numeric(20, 2) NOT NULL,
	"gain" numeric(20, 2) NOT NULL,
	"wash_adjustment" numeric(20, 2) NOT NULL,
	"disallowed" numeric(20, 2) NOT NULL,
	"permanently_disallowed" numeric(20, 2) NOT NULL,
	"term" text NOT NULL,
	"taxable" boolean NOT NULL,
	"wash_matches" jsonb NOT NULL,
	CONSTRAINT "dispositions_tenant_id_household_id_ord_pk" PRIMARY KEY("tenant_id","household_id","ord")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"tenant_id" text NOT NULL,
	"household_id" text NOT NULL,
	"seq" integer NOT NULL,
	"id" text NOT NULL,
	"idem_key" text NOT NULL,
	"date" date NOT NULL,
	"kind" text NOT NULL,
	"account_id" text,
	"symbol" text,
	"shares" numeric(24, 6),
	"price" numeric(24, 8),
	"amount" numeric(20, 2),
	"fees" numeric(20, 2),
	"detail" jsonb,
	"import_id" text,
	"broker_action" text,
	"source_file" text,
	"source_row" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_tenant_id_household_id_seq_pk" PRIMARY KEY("tenant_id","household_id","seq")
);
--> statement-breakpoint
CREATE TABLE "households" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"filing_status" text NOT NULL,
	"lot_method" text NOT NULL,
	"tax_year" integer,
	"identity" jsonb NOT NULL,
	"tax_profile" jsonb,
	"targets" jsonb,
	"harvest" jsonb,
	"event_count" integer DEFAULT 0 NOT NULL,
	"last_event_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "households_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"household_id" text NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"sha256" text NOT NULL,
	"events_added" integer NOT NULL,
	"events_known" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "imports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "open_lots" (
	"tenant_id" text NOT NULL,
	"household_id" text NOT NULL,
	"ord" integer NOT NULL,
	"account_id" text NOT NULL,
	"symbol" text NOT NULL,
	"lot_id" text NOT NULL,
	"origin" text NOT NULL,
	"lot_seq" integer NOT NULL,
	"shares" numeric(24, 6) NOT NULL,
	"basis" numeric(20, 2) NOT NULL,
	"wash_adjustment" numeric(20, 2) NOT NULL,
	"acquired" date NOT NULL,
	"held_from" date NOT NULL,
	"purchase" boolean NOT NULL,
	"replacement" boolean NOT NULL,
	CONSTRAINT "open_lots_tenant_id_household_id_ord_pk" PRIMARY KEY("tenant_id","household_id","ord")
);
--> statement-breakpoint
CREATE TABLE "prices" (
	"symbol" text NOT NULL,
	"date" date NOT NULL,
	"close" numeric(24, 8) NOT NULL,
	"dividend" numeric(24, 8) DEFAULT '0' NOT NULL,
	"split" numeric(20, 10) DEFAULT '1' NOT NULL,
	CONSTRAINT "prices_symbol_date_pk" PRIMARY KEY("symbol","date")
);
--> statement-breakpoint
CREATE TABLE "securities" (
	"tenant_id" text NOT NULL,
	"household_id" text NOT NULL,
	"symbol" text NOT NULL,
	"cusip" text,
	"asset_class" text,
	"index_name" text,
	"ord" integer NOT NULL,
	CONSTRAINT "securities_tenant_id_household_id_symbol_pk" PRIMARY KEY("tenant_id","household_id","symbol")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_external" ON "accounts" USING btree ("tenant_id","household_id","custodian","external_number") WHERE external_number is not null;--> statement-breakpoint
CREATE INDEX "dispositions_date" ON "dispositions" USING btree ("tenant_id","household_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "events_id" ON "events" USING btree ("tenant_id","household_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_idem" ON "events" USING btree ("tenant_id","household_id","idem_key");--> statement-breakpoint
CREATE INDEX "events_order" ON "events" USING btree ("tenant_id","household_id","date","seq");--> statement-breakpoint
CREATE INDEX "prices_date" ON "prices" USING btree ("date");