CREATE TABLE "tip_additions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tip_additions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tip_id" uuid NOT NULL,
	"content" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tip_notes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tip_notes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tip_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tip_referrals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tip_referrals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tip_id" uuid NOT NULL,
	"recipient" text NOT NULL,
	"recipient_name" text NOT NULL,
	"shared" text NOT NULL,
	"referred_at" timestamp with time zone NOT NULL,
	"referred_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tip_referrals_recipient_check" CHECK (recipient in ('hotline', 'investigators', 'partner_agency'))
);
--> statement-breakpoint
CREATE TABLE "tips" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"source" text NOT NULL,
	"receipt_code" text,
	"secret_hash" text,
	"inspection_id" uuid,
	"status" text DEFAULT 'new' NOT NULL,
	"outcome" text,
	"assigned_to" uuid,
	"language" text DEFAULT 'en' NOT NULL,
	"red_flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"place_id" uuid,
	"seen_on" date,
	"seen_time" text,
	"content" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "tips_source_check" CHECK (source in ('public', 'inspection')),
	CONSTRAINT "tips_status_check" CHECK (status in ('new', 'in_review', 'referred', 'closed')),
	CONSTRAINT "tips_outcome_check" CHECK ("tips"."outcome" is null or outcome in ('acted_on', 'insufficient_information', 'duplicate', 'unfounded', 'other')),
	CONSTRAINT "tips_closed_check" CHECK (("tips"."status" = 'closed') = ("tips"."closed_at" is not null)),
	CONSTRAINT "tips_origin_check" CHECK (("tips"."source" = 'public') = ("tips"."receipt_code" is not null and "tips"."secret_hash" is not null)
        and ("tips"."source" = 'inspection') = ("tips"."inspection_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_check";--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "tip_retention_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "tip_additions" ADD CONSTRAINT "tip_additions_tip_id_tips_id_fk" FOREIGN KEY ("tip_id") REFERENCES "public"."tips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_notes" ADD CONSTRAINT "tip_notes_tip_id_tips_id_fk" FOREIGN KEY ("tip_id") REFERENCES "public"."tips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_notes" ADD CONSTRAINT "tip_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_referrals" ADD CONSTRAINT "tip_referrals_tip_id_tips_id_fk" FOREIGN KEY ("tip_id") REFERENCES "public"."tips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_referrals" ADD CONSTRAINT "tip_referrals_referred_by_users_id_fk" FOREIGN KEY ("referred_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_assigned_to_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tip_additions_tip_idx" ON "tip_additions" USING btree ("tip_id");--> statement-breakpoint
CREATE INDEX "tip_notes_tip_idx" ON "tip_notes" USING btree ("tip_id");--> statement-breakpoint
CREATE INDEX "tip_referrals_tip_idx" ON "tip_referrals" USING btree ("tip_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tips_receipt_code_key" ON "tips" USING btree ("receipt_code");--> statement-breakpoint
CREATE UNIQUE INDEX "tips_inspection_key" ON "tips" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "tips_agency_queue_idx" ON "tips" USING btree ("agency_id","status","received_at");--> statement-breakpoint
CREATE INDEX "tips_closed_idx" ON "tips" USING btree ("closed_at");--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_tip_retention_days_check" CHECK ("agencies"."tip_retention_days" between 1 and 3650);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK (role in ('officer', 'supervisor', 'analyst', 'agency_admin', 'coordinator', 'investigator', 'admin'));