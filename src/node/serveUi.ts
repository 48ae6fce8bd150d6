// Serves the built admin UI (web/dist) from the API's Hono app: hashed files under /assets/ with
// immutable cache headers, other files as they are, and index.html for every other GET that is not
// an API path (the SPA's client-side routes), never cached so a deploy is picked up at once.
// Mount it last: `app.route('/', uiRoutes(distDir))`.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { Hono, type Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Paths the SPA fallback must leave to the API (they 404 as JSON there, not as index.html). */
const NOT_UI = /^\/(api|webhooks|healthz|metrics)(\/|$)/;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

async function readIfFile(path: string): Promise<Buffer | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? await readFile(path) : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw new Error(`Could not read ${path} of the admin UI`, { cause: error });
  }
}

function respond(c: Context, body: Buffer, file: string, cacheControl: string): Response {
  return c.body(new Uint8Array(body), 200, {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Cache-Control': cacheControl,
    'X-Content-Type-Options': 'nosniff',
  });
}

export function uiRoutes(distDir: string): Hono {
  const root = normalize(distDir);
  const app = new Hono();

  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (NOT_UI.test(path)) return next();
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return c.text('Bad path', 400);
    }
    // A real file of the build (never outside distDir: `..` and NUL are refused).
    if (!decoded.includes('\0') && decoded !== '/' && !decoded.endsWith('/')) {
      const file = normalize(join(root, decoded));
      if (file.startsWith(root + sep)) {
        const body = await readIfFile(file);
        if (body) {
          const hashed = decoded.startsWith('/assets/');
          return respond(c, body, file, hashed ? IMMUTABLE : REVALIDATE);
        }
        // A missing asset is a 404, not the SPA page: a stale index.html must not get HTML for JS.
        if (decoded.startsWith('/assets/') || extname(decoded) !== '') return c.text('Not found', 404);
      }
    }
    const index = join(root, 'index.html');
    const html = await readIfFile(index);
    if (!html) {
      return c.text(`The admin UI is not built: ${index} is missing. Run \`npm run build:web\` (npm start builds it when needed).`, 503);
    }
    return respond(c, html, index, REVALIDATE);
  });

  return app;
}
