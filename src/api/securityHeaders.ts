// Response headers every answer carries: a Content-Security-Policy the built admin UI runs under (no
// inline script or style, everything from its own origin; space images from any https URL), a
// Permissions-Policy that turns off the browser features the UI never uses, `Cache-Control: no-store`
// on the API (its answers carry tokens and private data), and no source maps served at all.
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Inline styles only (the toast and dialog libraries add <style> elements); never inline script.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const FEATURES_OFF = [
  'accelerometer', 'autoplay', 'camera', 'display-capture', 'encrypted-media', 'fullscreen', 'geolocation', 'gyroscope',
  'magnetometer', 'microphone', 'midi', 'payment', 'picture-in-picture', 'publickey-credentials-get', 'screen-wake-lock',
  'serial', 'usb', 'xr-spatial-tracking',
] as const;

export const PERMISSIONS_POLICY = FEATURES_OFF.map((f) => `${f}=()`).join(', ');

export function securityHeaders(): MiddlewareHandler {
  const base = secureHeaders({ xFrameOptions: 'DENY' });
  return async (c, next) => {
    // Source maps would publish the UI's source: whatever the build left in its folder, never served.
    if (c.req.path.endsWith('.map')) return c.text('Not Found', 404);
    await base(c, async () => {
      await next();
    });
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('Permissions-Policy', PERMISSIONS_POLICY);
    const path = c.req.path;
    if (path.startsWith('/api/') || path === '/api' || path === '/healthz' || path === '/metrics') {
      // The stream sets its own no-cache; everything else of the API is never stored.
      if (!c.res.headers.get('Cache-Control')) c.header('Cache-Control', 'no-store');
    }
  };
}
