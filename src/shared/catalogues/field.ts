/**
 * The fixed vocabularies of field work, from DOMAIN.md. Codes are stored; labels are shown.
 */

/** Red flags Truckers Against Trafficking teaches drivers and officers to notice. */
export const redFlags = [
  { code: 'unaware_of_location', label: 'Does not know where they are' },
  { code: 'id_held_by_other', label: 'Someone else holds their ID' },
  { code: 'cannot_speak_freely', label: 'Cannot speak for themselves, or is watched' },
  { code: 'quota_or_pimp_talk', label: 'Talk of a quota, a "pimp" or "daddy"' },
  { code: 'branding_tattoo', label: 'Branding tattoos' },
  { code: 'fearful_submissive', label: 'Fearful or submissive behaviour' },
  {
    code: 'lot_drop_off',
    label: 'Dropped in the truck lot, going truck to truck, collected later',
  },
  { code: 'minor_offered', label: 'A minor offered for commercial sex' },
  { code: 'other', label: 'Other (described in the notes)' },
] as const;
export type RedFlagCode = (typeof redFlags)[number]['code'];
export const redFlagCodes = redFlags.map((f) => f.code) as [RedFlagCode, ...RedFlagCode[]];

export const actionsTaken = [
  { code: 'none', label: 'None' },
  { code: 'hotline_called', label: 'Hotline called' },
  { code: '911_called', label: '911 called' },
  { code: 'referred_to_investigators', label: 'Referred to investigators' },
  { code: 'other', label: 'Other (described in the notes)' },
] as const;
export type ActionTaken = (typeof actionsTaken)[number]['code'];
export const actionCodes = actionsTaken.map((a) => a.code) as [ActionTaken, ...ActionTaken[]];

/** FMCSA / CVSA inspection levels. */
export const inspectionLevels = [
  { code: 'I', label: 'I: full driver and vehicle' },
  { code: 'II', label: 'II: walk-around' },
  { code: 'III', label: 'III: driver and credentials' },
  { code: 'IV', label: 'IV: special one-time check' },
  { code: 'V', label: 'V: vehicle only' },
  { code: 'VI', label: 'VI: enhanced, radioactive loads' },
  { code: 'VII', label: 'VII: jurisdiction-mandated' },
  { code: 'VIII', label: 'VIII: electronic, while moving' },
] as const;
export type InspectionLevel = (typeof inspectionLevels)[number]['code'];
export const inspectionLevelCodes = inspectionLevels.map((l) => l.code) as [
  InspectionLevel,
  ...InspectionLevel[],
];

export const vehicleTypes = [
  { code: 'truck_tractor', label: 'Truck tractor' },
  { code: 'straight_truck', label: 'Straight truck' },
  { code: 'bus', label: 'Bus' },
  { code: 'motorcoach', label: 'Motorcoach' },
  { code: 'van', label: 'Van' },
  { code: 'pickup', label: 'Pickup' },
  { code: 'other', label: 'Other' },
] as const;
export type VehicleType = (typeof vehicleTypes)[number]['code'];
export const vehicleTypeCodes = vehicleTypes.map((v) => v.code) as [VehicleType, ...VehicleType[]];

export const placeKinds = [
  { code: 'truck_stop', label: 'Truck stop' },
  { code: 'travel_plaza', label: 'Travel plaza' },
  { code: 'rest_area', label: 'Rest area' },
  { code: 'weigh_station', label: 'Weigh station' },
  { code: 'port_of_entry', label: 'Port of entry' },
  { code: 'inspection_site', label: 'Inspection site' },
  { code: 'bus_station', label: 'Bus station' },
  { code: 'train_station', label: 'Train station' },
  { code: 'dmv_office', label: 'DMV office' },
  { code: 'other', label: 'Other' },
] as const;
export type PlaceKind = (typeof placeKinds)[number]['code'];
export const placeKindCodes = placeKinds.map((k) => k.code) as [PlaceKind, ...PlaceKind[]];

export const materialKinds = [
  { code: 'wallet_card', label: 'Wallet card', metric: 'wallet_cards' },
  { code: 'window_decal', label: 'Window decal', metric: 'window_decals' },
  { code: 'poster', label: 'Poster', metric: 'posters' },
  { code: 'flyer', label: 'Flyer', metric: 'flyers' },
  { code: 'brochure', label: 'Brochure', metric: 'brochures' },
  { code: 'other', label: 'Other', metric: null },
] as const;
export type MaterialKind = (typeof materialKinds)[number]['code'];
export const materialKindCodes = materialKinds.map((k) => k.code) as [
  MaterialKind,
  ...MaterialKind[],
];

export const stockMovementTypes = [
  'received',
  'issued',
  'returned',
  'written_off',
  'handed_out',
] as const;
export type StockMovementType = (typeof stockMovementTypes)[number];

/** The label of a catalogue's code, as people read it; an unknown code as it is. */
export const labelOf = (list: readonly { code: string; label: string }[], code: string): string =>
  list.find((item) => item.code === code)?.label ?? code;
