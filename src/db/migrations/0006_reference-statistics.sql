CREATE TABLE "statistic_observations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"series_key" text NOT NULL,
	"period" text NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"value" double precision NOT NULL,
	"source_organisation" text NOT NULL,
	"publication" text NOT NULL,
	"url" text,
	"source_table" text,
	"published_on" date,
	"retrieved_on" date,
	"notes" text DEFAULT '' NOT NULL,
	"verified" boolean DEFAULT true NOT NULL,
	"supersedes" uuid,
	"request_hash" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "statistic_observations_period_check" CHECK (period_kind in ('calendar_year', 'fiscal_year', 'range')),
	CONSTRAINT "statistic_observations_dates_check" CHECK ("statistic_observations"."period_end" >= "statistic_observations"."period_start")
);
--> statement-breakpoint
CREATE TABLE "statistic_series" (
	"key" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"geography" text NOT NULL,
	"unit" text NOT NULL,
	"sentence" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "statistic_series_key_check" CHECK ("statistic_series"."key" ~ '^[a-z0-9]+([._][a-z0-9]+)*$')
);
--> statement-breakpoint
ALTER TABLE "statistic_observations" ADD CONSTRAINT "statistic_observations_series_key_statistic_series_key_fk" FOREIGN KEY ("series_key") REFERENCES "public"."statistic_series"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statistic_observations" ADD CONSTRAINT "statistic_observations_supersedes_statistic_observations_id_fk" FOREIGN KEY ("supersedes") REFERENCES "public"."statistic_observations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statistic_observations" ADD CONSTRAINT "statistic_observations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statistic_observations_series_idx" ON "statistic_observations" USING btree ("series_key","period_start");--> statement-breakpoint
CREATE UNIQUE INDEX "statistic_observations_original_idx" ON "statistic_observations" USING btree ("series_key","period") WHERE "statistic_observations"."supersedes" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "statistic_observations_revision_idx" ON "statistic_observations" USING btree ("supersedes");