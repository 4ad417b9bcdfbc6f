CREATE TABLE "field_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "field_records_owner_key" UNIQUE("id","agency_id","kind"),
	CONSTRAINT "field_records_kind_check" CHECK (kind in ('inspection', 'outreach_visit', 'activity'))
);
--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "record_kind" text DEFAULT 'activity' NOT NULL;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "record_kind" text DEFAULT 'inspection' NOT NULL;--> statement-breakpoint
ALTER TABLE "outreach_visits" ADD COLUMN "record_kind" text DEFAULT 'outreach_visit' NOT NULL;--> statement-breakpoint
ALTER TABLE "field_records" ADD CONSTRAINT "field_records_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_record_kind_check" CHECK ("activities"."record_kind" = 'activity');--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_record_kind_check" CHECK ("inspections"."record_kind" = 'inspection');--> statement-breakpoint
ALTER TABLE "outreach_visits" ADD CONSTRAINT "outreach_visits_record_kind_check" CHECK ("outreach_visits"."record_kind" = 'outreach_visit');