DROP INDEX "activities_initiative_idx";--> statement-breakpoint
DROP INDEX "inspections_initiative_idx";--> statement-breakpoint
DROP INDEX "outreach_visits_initiative_idx";--> statement-breakpoint
CREATE INDEX "activities_agency_time_idx" ON "activities" USING btree ("agency_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "inspections_agency_time_idx" ON "inspections" USING btree ("agency_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "outreach_visits_agency_time_idx" ON "outreach_visits" USING btree ("agency_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "activities_initiative_idx" ON "activities" USING btree ("initiative_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "inspections_initiative_idx" ON "inspections" USING btree ("initiative_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "outreach_visits_initiative_idx" ON "outreach_visits" USING btree ("initiative_id","occurred_at","id");