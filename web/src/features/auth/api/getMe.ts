// GET /api/auth/me: who the token belongs to, and whether they are an admin.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';

export interface Me {
  id: string;
  email: string;
  role: string;
  is_admin: boolean;
}

export function getMe(signal?: AbortSignal): Promise<Me> {
  return apiRequest<Me>('/auth/me', { signal });
}

export function getMeOptions(token: string) {
  return queryOptions({ queryKey: ['auth', 'me', token], queryFn: ({ signal }) => getMe(signal), staleTime: Infinity, retry: false });
}

export function useMe(token: string) {
  return useQuery(getMeOptions(token));
}
