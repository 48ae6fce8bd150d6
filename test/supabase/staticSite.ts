// A static host for the browser tests, on its own origin: a folder's files (the built admin UI), the
// index page for any other path (the UI routes by path), index.html as `rewriteIndex` makes it (the
// `spacesync-api-url` meta tag a deployment sets), and extra files (a test page, a library's build).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface StaticSite {
  url: string;
  stop(): Promise<void>;
}

export async function startStaticSite(options: { dir?: string; rewriteIndex?: (html: string) => string; files?: Record<string, string> }): Promise<StaticSite> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://site').pathname);
    const extra = options.files?.[path];
    if (extra !== undefined) {
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(extra);
      return;
    }
    if (options.dir) {
      const file = join(options.dir, normalize(path).replace(/^(\.\.[/\\])+/, ''));
      if (path !== '/' && existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
        return;
      }
      const index = readFileSync(join(options.dir, 'index.html'), 'utf8');
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(options.rewriteIndex ? options.rewriteIndex(index) : index);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
