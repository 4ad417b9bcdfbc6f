ALTER TABLE "agencies" ADD COLUMN "hotlines" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "stock_low_threshold" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "stock_draw_on_store" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_stock_low_threshold_check" CHECK ("agencies"."stock_low_threshold" >= 0);