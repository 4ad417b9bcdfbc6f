CREATE TABLE "agency_metrics" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"request_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agency_metrics_key" UNIQUE("agency_id","key")
);
--> statement-breakpoint
CREATE TABLE "record_tallies" (
	"agency_id" uuid NOT NULL,
	"initiative_id" uuid,
	"local_date" date NOT NULL,
	"officer_id" uuid,
	"place_id" uuid,
	"metric" text NOT NULL,
	"detail" text NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "record_tallies_key" UNIQUE NULLS NOT DISTINCT("agency_id","initiative_id","local_date","officer_id","place_id","metric","detail")
);
--> statement-breakpoint
ALTER TABLE "activities" DROP CONSTRAINT "activities_kind_check";--> statement-breakpoint
ALTER TABLE "agency_metrics" ADD CONSTRAINT "agency_metrics_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "record_tallies_agency_date_idx" ON "record_tallies" USING btree ("agency_id","local_date");