// A tiny client-side router over the History API: the app has four screens, not worth a library.
// The server answers every non-API path with index.html, so deep links and reloads work.
import { useSyncExternalStore } from 'react';

export interface Location {
  path: string;
  search: URLSearchParams;
}

const listeners = new Set<() => void>();
let snapshot = readLocation();

function readLocation(): Location {
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

function emit(): void {
  snapshot = readLocation();
  for (const l of listeners) l();
}

window.addEventListener('popstate', emit);

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  if (url.pathname + url.search === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  emit();
}

/** Replaces the query string of the current page (filters), keeping the path. */
export function setSearchParams(params: Record<string, string | null | undefined>): void {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const qs = search.toString();
  navigate(`${window.location.pathname}${qs ? `?${qs}` : ''}`, { replace: true });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, () => snapshot);
}
