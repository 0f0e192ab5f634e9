// Roles are ordered: an admin can do what a marketer can, a marketer what a viewer can.
import type { Role } from '../generated/prisma/enums';

const RANK: Record<Role, number> = { viewer: 0, marketer: 1, admin: 2 };

export function roleAllows(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Unless a route says otherwise: reading needs a viewer, changing anything a marketer. */
export function defaultRoleFor(method: string): Role {
  return READ_METHODS.has(method.toUpperCase()) ? 'viewer' : 'marketer';
}
