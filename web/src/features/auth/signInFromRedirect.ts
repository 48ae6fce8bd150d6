// Run once before the first render: a Supabase Auth sign-in link's fragment (see lib/authRedirect.ts)
// becomes the session (its refresh token and expiry too, so it is renewed), and leaves the address bar (the token must not stay in the URL, the history
// or a bookmark). A failed link's reason is kept for the login page.
import { parseAuthRedirect } from '../../lib/authRedirect.ts';
import { signIn } from '../../lib/session.ts';

let failure: string | null = null;

export function signInFromRedirect(): void {
  const redirect = parseAuthRedirect(window.location.hash);
  if (!redirect) return;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  if (redirect.kind === 'session') signIn({ token: redirect.token, user: redirect.user, refreshToken: redirect.refreshToken, times: redirect.times });
  else failure = redirect.message;
}

/** Why the sign-in link the page was opened with did not work, if it did not. */
export function redirectFailure(): string | null {
  return failure;
}
