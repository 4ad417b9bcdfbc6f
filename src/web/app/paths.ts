/** Every screen's address, relative to the app's base (/app/). Links use these, never strings. */
export const paths = {
  today: '/',
  signIn: '/sign-in',
  logInspection: '/inspections/new',
  editInspection: (id: string) => `/inspections/${id}/edit`,
  editVisit: (id: string) => `/visits/${id}/edit`,
  editActivity: (id: string) => `/activities/${id}/edit`,
  logVisit: '/visits/new',
  logActivity: '/activities/new',
  outbox: '/outbox',
  dashboard: '/dashboard',
  stock: '/stock',
  records: '/records',
  initiatives: '/initiatives',
  people: '/people',
  agency: '/agency',
  initiative: (id: string) => `/initiatives/${id}`,
  report: (id: string) => `/initiatives/${id}/report`,
  coordination: '/coordination',
  coordinatorInitiative: (id: string) => `/coordination/${id}`,
  tips: '/tips',
  tip: (id: string) => `/tips/${id}`,
} as const;

/** Where the app is served from; the router's basename and the service worker's scope. */
export const appBase = '/app';
