// Renews the session before its access token expires (refreshSchedule.ts says when), again when the
// tab comes back into view (a background tab's timers run late), and after a failed attempt with a
// backoff; reschedules whenever the session changes, in this tab or another one.
import { refreshDelay, retryDelay } from './refreshSchedule.ts';
import { renewSession } from './renewSession.ts';
import { getSession, onSessionChange } from './session.ts';

/** Never more often than this, whatever the token's lifetime. */
const MIN_INTERVAL_MS = 1_000;
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function keepSessionAlive(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let lastRun = 0;

  const plan = (delay?: number) => {
    clearTimeout(timer);
    timer = undefined;
    const session = getSession();
    if (!session?.refreshToken || !session.times) return;
    const now = Date.now();
    const wait = Math.max(delay ?? refreshDelay(session.times, now), lastRun + MIN_INTERVAL_MS - now, 0);
    timer = setTimeout(() => void run(), Math.min(wait, MAX_TIMEOUT_MS));
  };

  const run = async () => {
    lastRun = Date.now();
    const result = await renewSession(null);
    if (result.kind === 'failed') {
      plan(result.retryAfterMs ?? retryDelay(failures++));
      return;
    }
    failures = 0;
    plan(); // renewed by another tab, or nothing changed: the next renewal from what is stored
  };

  const onVisible = () => {
    if (document.visibilityState === 'visible') plan();
  };
  const unsubscribe = onSessionChange(() => {
    failures = 0;
    plan();
  });
  document.addEventListener('visibilitychange', onVisible);
  plan();
  return () => {
    clearTimeout(timer);
    unsubscribe();
    document.removeEventListener('visibilitychange', onVisible);
  };
}
