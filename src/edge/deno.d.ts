// The few Deno APIs the function entry files use, for `tsc` (Deno itself has its own types and never
// reads this file). Kept to what supabase/functions/*/index.ts and _shared/ call.
declare namespace Deno {
  interface ServeOptions {
    port?: number;
    hostname?: string;
    onListen?: (addr: { hostname: string; port: number }) => void;
  }
  interface HttpServer {
    finished: Promise<void>;
    shutdown(): Promise<void>;
  }
  function serve(handler: (request: Request) => Response | Promise<Response>): HttpServer;
  function serve(options: ServeOptions, handler: (request: Request) => Response | Promise<Response>): HttpServer;
  const env: {
    get(key: string): string | undefined;
    toObject(): Record<string, string>;
  };
}
