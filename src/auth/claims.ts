// The claims of a verified token, in Supabase's shape, and who they make an admin.
import type { Claims } from '../db/withClaims.ts';

export type { Claims };

export const API_ROLES = ['anon', 'authenticated', 'service_role'] as const;

/** Same rule as the SQL `is_admin()`: app_metadata.role admin, or the service role. */
export function isAdminClaims(claims: Claims | null | undefined): boolean {
  if (!claims) return false;
  return claims.app_metadata?.role === 'admin' || claims.role === 'service_role';
}
