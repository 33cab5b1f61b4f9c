CREATE TABLE "fills" (
	"tenant_id" text NOT NULL,
	"fill_key" text NOT NULL,
	"proposal_id" text NOT NULL,
	"line" integer NOT NULL,
	"date" date NOT NULL,
	"shares" numeric(24, 6) NOT NULL,
	"price" numeric(24, 8) NOT NULL,
	"fees" numeric(20, 2) NOT NULL,
	"event_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fills_tenant_id_fill_key_pk" PRIMARY KEY("tenant_id","fill_key")
);
--> statement-breakpoint
CREATE TABLE "proposal_orders" (
	"tenant_id" text NOT NULL,
	"proposal_id" text NOT NULL,
	"line" integer NOT NULL,
	"account_id" text NOT NULL,
	"symbol" text NOT NULL,
	"side" text NOT NULL,
	"shares" numeric(24, 6) NOT NULL,
	"price" numeric(24, 8) NOT NULL,
	"amount" numeric(20, 2),
	"lots" jsonb,
	"rule" text NOT NULL,
	"loss_sale" boolean NOT NULL,
	"filled_shares" numeric(24, 6) DEFAULT '0' NOT NULL,
	CONSTRAINT "proposal_orders_tenant_id_proposal_id_line_pk" PRIMARY KEY("tenant_id","proposal_id","line")
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"household_id" text NOT NULL,
	"run_id" text NOT NULL,
	"run_date" date NOT NULL,
	"policy_version" text NOT NULL,
	"generation" integer NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"benefit" numeric(20, 2) NOT NULL,
	"notes" jsonb NOT NULL,
	"candidates" jsonb NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proposals_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "run_batches" (
	"tenant_id" text NOT NULL,
	"run_id" text NOT NULL,
	"batch" integer NOT NULL,
	"household_ids" jsonb NOT NULL,
	"status" text NOT NULL,
	"screened" integer DEFAULT 0 NOT NULL,
	"decided" integer DEFAULT 0 NOT NULL,
	"proposals" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "run_batches_tenant_id_run_id_batch_pk" PRIMARY KEY("tenant_id","run_id","batch")
);
--> statement-breakpoint
CREATE TABLE "run_notes" (
	"tenant_id" text NOT NULL,
	"run_id" text NOT NULL,
	"household_id" text NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"run_date" date NOT NULL,
	"policy_version" text NOT NULL,
	"generation" integer NOT NULL,
	"status" text NOT NULL,
	"batches" integer NOT NULL,
	"households" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "runs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "withdrawal_requests" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"household_id" text NOT NULL,
	"account_id" text NOT NULL,
	"amount" numeric(20, 2) NOT NULL,
	"requested_on" date NOT NULL,
	"status" text NOT NULL,
	"proposal_id" text,
	CONSTRAINT "withdrawal_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "proposals_key" ON "proposals" USING btree ("tenant_id","household_id","run_date","policy_version","generation");--> statement-breakpoint
CREATE INDEX "proposals_status" ON "proposals" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "run_notes_run" ON "run_notes" USING btree ("tenant_id","run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_date" ON "runs" USING btree ("tenant_id","run_date","policy_version","generation");--> statement-breakpoint
CREATE INDEX "withdrawals_open" ON "withdrawal_requests" USING btree ("tenant_id","household_id","status");