/**
 * The metrics Milepost counts. They are data, not columns, because the counts a coordinating
 * body asks for change from year to year (posters and social posts first appear in 2024's CVSA
 * results). An agency may add its own on top of these.
 */
export const metricSources = [
  'inspections',
  'outreach_visits',
  'materials',
  'red_flags',
  'activities',
] as const;

export interface MetricDefinition {
  key: string;
  label: string;
  /** Where the count comes from. */
  source: (typeof metricSources)[number];
  description: string;
}

export const activityKinds = [
  'presentations',
  'carrier_trainings',
  'media_contacts',
  'social_posts',
  'message_board_displays',
  'outreach_events',
] as const;
export type ActivityKind = (typeof activityKinds)[number];

export const metrics = [
  {
    key: 'inspections',
    label: 'Inspections',
    source: 'inspections',
    description: 'Roadside inspections logged',
  },
  {
    key: 'inspections_with_outreach',
    label: 'Inspections with outreach',
    source: 'inspections',
    description: 'Inspections during which awareness material or a talk was given',
  },
  {
    key: 'outreach_visits',
    label: 'Outreach visits',
    source: 'outreach_visits',
    description: 'Visits to truck stops and other places',
  },
  {
    key: 'places_visited',
    label: 'Places visited',
    source: 'outreach_visits',
    description: 'Distinct places visited',
  },
  {
    key: 'people_reached',
    label: 'People reached',
    source: 'outreach_visits',
    description: 'Drivers, staff and public reached on visits',
  },
  {
    key: 'wallet_cards',
    label: 'Wallet cards',
    source: 'materials',
    description: 'Wallet cards handed out',
  },
  {
    key: 'window_decals',
    label: 'Window decals',
    source: 'materials',
    description: 'Window decals handed out',
  },
  {
    key: 'posters',
    label: 'Posters',
    source: 'materials',
    description: 'Posters handed out or put up',
  },
  { key: 'flyers', label: 'Flyers', source: 'materials', description: 'Flyers handed out' },
  {
    key: 'brochures',
    label: 'Brochures',
    source: 'materials',
    description: 'Brochures handed out',
  },
  {
    key: 'materials_handed_out',
    label: 'Material handed out',
    source: 'materials',
    description: 'All pieces of material handed out',
  },
  {
    key: 'red_flag_observations',
    label: 'Red-flag observations',
    source: 'red_flags',
    description: 'Inspections with at least one red flag',
  },
  {
    key: 'referrals',
    label: 'Referrals',
    source: 'red_flags',
    description: 'Inspections with an action other than none',
  },
  {
    key: 'presentations',
    label: 'Presentations',
    source: 'activities',
    description: 'Presentations given',
  },
  {
    key: 'carrier_trainings',
    label: 'Carrier trainings',
    source: 'activities',
    description: 'Trainings for carriers',
  },
  {
    key: 'media_contacts',
    label: 'Media contacts',
    source: 'activities',
    description: 'Interviews and contacts with the media',
  },
  {
    key: 'social_posts',
    label: 'Social-media posts',
    source: 'activities',
    description: 'Posts on social media',
  },
  {
    key: 'message_board_displays',
    label: 'Message-board displays',
    source: 'activities',
    description: 'Roadside message boards showing the hotline',
  },
  {
    key: 'outreach_events',
    label: 'Outreach events',
    source: 'activities',
    description: 'Events held or attended',
  },
] as const satisfies readonly MetricDefinition[];

export type MetricKey = (typeof metrics)[number]['key'];
export const metricKeys = metrics.map((m) => m.key) as [MetricKey, ...MetricKey[]];
