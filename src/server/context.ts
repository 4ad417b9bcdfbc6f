import type { Role } from '#shared/roles.ts';

/** Who is acting: the signed-in user, as their session established. */
export interface Actor {
  userId: string;
  agencyId: string;
  role: Role;
  sessionId: string;
}

/** What a service needs to know about the request it serves: who, and from where (for audit). */
export interface RequestContext {
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

/** The origin of an action that has no signed-in actor (sign-in attempts, the CLI). */
export interface Origin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}
