import { z } from 'zod';
import { metricSources } from '../catalogues/metrics.ts';

/** A metric key, such as `wallet_cards` or an agency's own `school_visits`. */
export const metricKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be 2 to 40 lower-case letters, digits or _');

export const createAgencyMetricSchema = z.object({
  id: z.uuid(),
  key: metricKeySchema,
  label: z.string().trim().min(2).max(80),
  description: z.string().trim().max(500).default(''),
});

export const metricSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    source: z.enum(metricSources),
    description: z.string(),
    /** The agency's own metric (an activity kind), or null for one of Milepost's catalogue. */
    agencyMetricId: z.uuid().nullable(),
  })
  .meta({ id: 'Metric' });

export type CreateAgencyMetric = z.infer<typeof createAgencyMetricSchema>;
export type Metric = z.infer<typeof metricSchema>;
