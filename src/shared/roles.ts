/**
 * Roles and what each may do. This table is the single source of truth for authorization:
 * the server checks it on every route, the web app uses it to show what a person may use,
 * and the role-by-endpoint test walks it against every route.
 */

export const roles = [
  'officer',
  'supervisor',
  'analyst',
  'agency_admin',
  'coordinator',
  'investigator',
  'admin',
] as const;

export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  officer: 'Field officer',
  supervisor: 'Supervisor',
  analyst: 'Analyst',
  agency_admin: 'Agency administrator',
  coordinator: 'Coordinator',
  investigator: 'Investigator',
  admin: 'Platform administrator',
};

/** Permissions name an action on a kind of record, `noun:verb`. */
export const permissions = {
  'agency:read': ['officer', 'supervisor', 'analyst', 'agency_admin', 'coordinator', 'admin'],
  'agency:update': ['agency_admin', 'admin'],
  'agencies:create': ['admin'],
  'users:read': ['agency_admin', 'admin'],
  /** Names and roles of the agency's active people, without their e-mail or sign-in state. */
  'people:read': ['supervisor', 'analyst', 'agency_admin', 'admin'],
  'users:write': ['agency_admin', 'admin'],
  'audit:read': ['agency_admin', 'admin'],
  'initiatives:read': ['officer', 'supervisor', 'analyst', 'agency_admin', 'admin'],
  'initiatives:write': ['supervisor', 'admin'],
  'places:read': ['officer', 'supervisor', 'analyst', 'agency_admin', 'admin'],
  'places:write': ['supervisor', 'admin'],
  'materials:read': ['officer', 'supervisor', 'analyst', 'agency_admin', 'admin'],
  'materials:write': ['supervisor', 'admin'],
  /** Officers see their own holdings and movements only; the service narrows it (squad:read). */
  'stock:read': ['officer', 'supervisor', 'analyst', 'admin'],
  /**
   * Other officers' figures: their stock, their stock movements, the per-officer breakdown of a
   * summary. An officer sees their own, and the agency's totals.
   */
  'squad:read': ['supervisor', 'analyst', 'agency_admin', 'admin'],
  'stock:write': ['supervisor', 'admin'],
  /** Officers read and change their own records only; the service narrows it. */
  'records:read': ['officer', 'supervisor', 'analyst', 'admin'],
  'records:write': ['officer', 'supervisor', 'admin'],
  'metrics:read': ['officer', 'supervisor', 'analyst', 'agency_admin', 'admin'],
  'metrics:write': ['supervisor', 'agency_admin', 'admin'],
  'summary:read': ['officer', 'supervisor', 'analyst', 'agency_admin', 'admin'],
  'imports:write': ['supervisor', 'admin'],
  /** The after-action report, its bundle and the news-release draft of an initiative. */
  'reports:read': ['supervisor', 'analyst', 'agency_admin', 'admin'],
  /** Reference statistics are shared by every agency: published figures, with their sources. */
  'statistics:read': ['officer', 'supervisor', 'analyst', 'agency_admin', 'coordinator', 'admin'],
  /**
   * The shared reference figures every agency's reports and public page quote: curated by the
   * platform's administrators alone, so no agency's staff changes what another agency's page says.
   */
  'statistics:write': ['admin'],
  /** Initiatives a coordinating body publishes, which agencies read and join. */
  'coordination:read': ['supervisor', 'analyst', 'agency_admin', 'coordinator', 'admin'],
  /** Publishing one, seeing the agencies' submitted counts, asking for a revision. */
  'coordination:manage': ['coordinator', 'admin'],
  /** An agency's own submission to a coordinator initiative. */
  'submissions:read': ['supervisor', 'analyst', 'agency_admin', 'admin'],
  'submissions:write': ['supervisor', 'admin'],
  /**
   * The tip queue: what the public sent and what officers flagged. Its agency's supervisors and
   * investigators alone, not even a platform administrator: tipsters are protected first.
   */
  'tips:read': ['supervisor', 'investigator'],
  'tips:write': ['supervisor', 'investigator'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/** Roles that act on any record of their agency; others act on their own records only. */
export function roleManagesRecords(role: Role): boolean {
  return role === 'supervisor' || role === 'admin';
}

/**
 * Roles whose reach crosses agencies. Everyone else acts only within their own agency;
 * a record of another agency is, to them, a record that does not exist.
 */
export function roleSpansAgencies(role: Role): boolean {
  return role === 'admin';
}

/**
 * Roles above any one agency: a platform administrator works across agencies, and every agency
 * sees what a coordinator publishes. Only a platform administrator gives them, or changes or
 * deactivates someone who holds one.
 */
export const platformRoles: readonly Role[] = ['admin', 'coordinator'];

/** The roles an agency administrator hands out and manages within their own agency. */
export const agencyRoles: readonly Role[] = roles.filter((role) => !platformRoles.includes(role));

/**
 * Whether someone of `actorRole` may give `role` to a user, or change or deactivate a user who
 * holds it: a platform administrator any role, an agency administrator their agency's roles.
 */
export function roleGrants(actorRole: Role, role: Role): boolean {
  if (actorRole === 'admin') return true;
  return actorRole === 'agency_admin' && agencyRoles.includes(role);
}

/**
 * Roles that read the tip queue: what the public sent, contact details included. Giving one to
 * an active user is audited as an event of its own (`user.tip_access_granted`).
 */
export function roleReadsTips(role: Role): boolean {
  return roleHasPermission(role, 'tips:read');
}
