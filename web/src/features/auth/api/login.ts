// POST /api/auth/login: email + password → a bearer token, kept by the session (the embedded login's
// tokens last 12 hours and come without a refresh token: the UI signs in again when one expires).
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api.ts';
import { sessionTimes } from '../../../lib/refreshSchedule.ts';
import { signIn, type SessionUser } from '../../../lib/session.ts';

export interface LoginInput {
  email: string;
  password: string;
}

export interface LoginAnswer {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  user: SessionUser;
}

export function login(input: LoginInput): Promise<LoginAnswer> {
  return apiRequest<LoginAnswer>('/auth/login', { method: 'POST', body: input, anonymous: true });
}

export function useLogin() {
  return useMutation({
    mutationFn: login,
    onSuccess: (answer) => signIn({ token: answer.access_token, user: answer.user, times: sessionTimes({ expiresIn: answer.expires_in }, Date.now()) }),
  });
}
