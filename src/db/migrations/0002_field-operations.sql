CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"initiative_id" uuid,
	"officer_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	"local_date" date NOT NULL,
	"place_id" uuid,
	"notes" text DEFAULT '' NOT NULL,
	"created_by" uuid NOT NULL,
	"request_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_reason" text,
	"kind" text NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "activities_kind_check" CHECK (kind in ('presentations', 'carrier_trainings', 'media_contacts', 'social_posts', 'message_board_displays', 'outreach_events')),
	CONSTRAINT "activities_count_check" CHECK ("activities"."count" > 0)
);
--> statement-breakpoint
CREATE TABLE "initiative_places" (
	"initiative_id" uuid NOT NULL,
	"place_id" uuid NOT NULL,
	CONSTRAINT "initiative_places_initiative_id_place_id_pk" PRIMARY KEY("initiative_id","place_id")
);
--> statement-breakpoint
CREATE TABLE "initiatives" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"goals" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"created_by" uuid NOT NULL,
	"request_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_reason" text,
	CONSTRAINT "initiatives_dates_check" CHECK ("initiatives"."ends_on" >= "initiatives"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"initiative_id" uuid,
	"officer_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	"local_date" date NOT NULL,
	"place_id" uuid,
	"notes" text DEFAULT '' NOT NULL,
	"created_by" uuid NOT NULL,
	"request_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_reason" text,
	"lat" double precision,
	"lon" double precision,
	"level" text NOT NULL,
	"usdot_number" text,
	"report_number" text,
	"report_state" text,
	"vehicle_type" text,
	"outreach_given" boolean NOT NULL,
	"red_flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"action" text DEFAULT 'none' NOT NULL,
	"source" text DEFAULT 'milepost' NOT NULL,
	CONSTRAINT "inspections_level_check" CHECK (level in ('I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII')),
	CONSTRAINT "inspections_action_check" CHECK (action in ('none', 'hotline_called', '911_called', 'referred_to_investigators', 'other')),
	CONSTRAINT "inspections_position_check" CHECK (("inspections"."lat" is null) = ("inspections"."lon" is null) and coalesce("inspections"."lat" between -90 and 90 and "inspections"."lon" between -180 and 180, true))
);
--> statement-breakpoint
CREATE TABLE "materials" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"language" text NOT NULL,
	"provider" text NOT NULL,
	"code" text,
	"request_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_reason" text,
	CONSTRAINT "materials_kind_check" CHECK (kind in ('wallet_card', 'window_decal', 'poster', 'flyer', 'brochure', 'other'))
);
--> statement-breakpoint
CREATE TABLE "outreach_visits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"initiative_id" uuid,
	"officer_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	"local_date" date NOT NULL,
	"place_id" uuid,
	"notes" text DEFAULT '' NOT NULL,
	"created_by" uuid NOT NULL,
	"request_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_reason" text,
	"reached_drivers" integer DEFAULT 0 NOT NULL,
	"reached_staff" integer DEFAULT 0 NOT NULL,
	"reached_public" integer DEFAULT 0 NOT NULL,
	"posters_put_up" integer DEFAULT 0 NOT NULL,
	"manager_engaged" boolean DEFAULT false NOT NULL,
	"follow_up_on" date
);
--> statement-breakpoint
CREATE TABLE "places" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"normalized_name" text NOT NULL,
	"brand" text,
	"operator" text,
	"address" text,
	"highway" text,
	"exit" text,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"osm_id" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"attribution" text,
	"request_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_reason" text,
	CONSTRAINT "places_kind_check" CHECK (kind in ('truck_stop', 'travel_plaza', 'rest_area', 'weigh_station', 'port_of_entry', 'inspection_site', 'bus_station', 'train_station', 'dmv_office', 'other')),
	CONSTRAINT "places_position_check" CHECK ("places"."lat" between -90 and 90 and "places"."lon" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "record_materials" (
	"record_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "record_materials_record_id_material_id_pk" PRIMARY KEY("record_id","material_id"),
	CONSTRAINT "record_materials_quantity_check" CHECK ("record_materials"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "stock_balances" (
	"agency_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"holder_id" uuid,
	"on_hand" integer NOT NULL,
	CONSTRAINT "stock_balances_holding_key" UNIQUE NULLS NOT DISTINCT("material_id","holder_id"),
	CONSTRAINT "stock_balances_not_negative" CHECK ("stock_balances"."on_hand" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_ledger" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agency_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"holder_id" uuid,
	"delta" integer NOT NULL,
	"type" text NOT NULL,
	"movement_id" uuid,
	"record_id" uuid,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"type" text NOT NULL,
	"quantity" integer NOT NULL,
	"officer_id" uuid,
	"note" text,
	"created_by" uuid NOT NULL,
	"request_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_quantity_check" CHECK ("stock_movements"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "stock_shortfalls" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_shortfalls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agency_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"officer_id" uuid,
	"record_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"voided_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_places" ADD CONSTRAINT "initiative_places_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_places" ADD CONSTRAINT "initiative_places_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiatives" ADD CONSTRAINT "initiatives_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiatives" ADD CONSTRAINT "initiatives_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiatives" ADD CONSTRAINT "initiatives_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "materials" ADD CONSTRAINT "materials_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_visits" ADD CONSTRAINT "outreach_visits_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_visits" ADD CONSTRAINT "outreach_visits_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_visits" ADD CONSTRAINT "outreach_visits_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_visits" ADD CONSTRAINT "outreach_visits_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_visits" ADD CONSTRAINT "outreach_visits_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "places" ADD CONSTRAINT "places_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_materials" ADD CONSTRAINT "record_materials_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_holder_id_users_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_ledger" ADD CONSTRAINT "stock_ledger_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_ledger" ADD CONSTRAINT "stock_ledger_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_ledger" ADD CONSTRAINT "stock_ledger_holder_id_users_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_ledger" ADD CONSTRAINT "stock_ledger_movement_id_stock_movements_id_fk" FOREIGN KEY ("movement_id") REFERENCES "public"."stock_movements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_shortfalls" ADD CONSTRAINT "stock_shortfalls_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_shortfalls" ADD CONSTRAINT "stock_shortfalls_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_shortfalls" ADD CONSTRAINT "stock_shortfalls_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_shortfalls" ADD CONSTRAINT "stock_shortfalls_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_agency_date_idx" ON "activities" USING btree ("agency_id","local_date");--> statement-breakpoint
CREATE INDEX "activities_initiative_idx" ON "activities" USING btree ("initiative_id");--> statement-breakpoint
CREATE INDEX "initiatives_agency_dates_idx" ON "initiatives" USING btree ("agency_id","starts_on","ends_on");--> statement-breakpoint
CREATE INDEX "inspections_agency_date_idx" ON "inspections" USING btree ("agency_id","local_date");--> statement-breakpoint
CREATE INDEX "inspections_initiative_idx" ON "inspections" USING btree ("initiative_id");--> statement-breakpoint
CREATE INDEX "inspections_officer_idx" ON "inspections" USING btree ("officer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "inspections_report_idx" ON "inspections" USING btree ("agency_id","report_number");--> statement-breakpoint
CREATE INDEX "materials_agency_idx" ON "materials" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "outreach_visits_agency_date_idx" ON "outreach_visits" USING btree ("agency_id","local_date");--> statement-breakpoint
CREATE INDEX "outreach_visits_initiative_idx" ON "outreach_visits" USING btree ("initiative_id");--> statement-breakpoint
CREATE INDEX "outreach_visits_place_idx" ON "outreach_visits" USING btree ("place_id");--> statement-breakpoint
CREATE INDEX "places_agency_lat_idx" ON "places" USING btree ("agency_id","lat");--> statement-breakpoint
CREATE UNIQUE INDEX "places_agency_osm_key" ON "places" USING btree ("agency_id","osm_id") WHERE "places"."osm_id" is not null;--> statement-breakpoint
CREATE INDEX "places_agency_name_idx" ON "places" USING btree ("agency_id","normalized_name");--> statement-breakpoint
CREATE INDEX "record_materials_material_idx" ON "record_materials" USING btree ("material_id");--> statement-breakpoint
CREATE INDEX "stock_balances_agency_idx" ON "stock_balances" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "stock_ledger_holding_idx" ON "stock_ledger" USING btree ("agency_id","material_id","holder_id");--> statement-breakpoint
CREATE INDEX "stock_ledger_record_idx" ON "stock_ledger" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "stock_movements_agency_idx" ON "stock_movements" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE INDEX "stock_shortfalls_agency_idx" ON "stock_shortfalls" USING btree ("agency_id","resolved_at");