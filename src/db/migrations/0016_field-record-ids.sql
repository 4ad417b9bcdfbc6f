CREATE TABLE "field_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "field_records_owner_key" UNIQUE("id","agency_id","kind"),
	CONSTRAINT "field_records_kind_check" CHECK (kind in ('inspection', 'outreach_visit', 'activity'))
);
--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "record_kind" text GENERATED ALWAYS AS ('activity'::text) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "record_kind" text GENERATED ALWAYS AS ('inspection'::text) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "outreach_visits" ADD COLUMN "record_kind" text GENERATED ALWAYS AS ('outreach_visit'::text) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "field_records" ADD CONSTRAINT "field_records_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;