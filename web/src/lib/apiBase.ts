// Where the API is: the page's own origin (`spacesync start` serves both), or another one when the
// static files are served from anywhere and the API is the `spacesync-api` Edge Function, e.g.
//   <meta name="spacesync-api-url" content="https://<ref>.supabase.co/functions/v1/spacesync-api">
// in index.html (set when the files are published), or VITE_SPACESYNC_API_URL at build time.
export function apiOrigin(): string {
  const meta = typeof document !== 'undefined' ? document.querySelector<HTMLMetaElement>('meta[name="spacesync-api-url"]')?.content.trim() : undefined;
  const built = (import.meta as { env?: Record<string, string | undefined> }).env?.VITE_SPACESYNC_API_URL?.trim();
  return (meta || built || '').replace(/\/+$/, '');
}
