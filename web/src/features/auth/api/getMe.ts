// GET /api/auth/me: who the token belongs to, and whether they are an admin.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
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
  // Asked again for each token (a renewed one may carry another role); the last answer shows meanwhile.
  return queryOptions({ queryKey: ['auth', 'me', token], queryFn: ({ signal }) => getMe(signal), staleTime: Infinity, retry: false, placeholderData: keepPreviousData });
}

export function useMe(token: string) {
  return useQuery(getMeOptions(token));
}
