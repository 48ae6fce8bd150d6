// zod compiles object parsers with `new Function` where it may. In a browser that is the admin UI
// under a Content-Security-Policy without 'unsafe-eval': there the probe alone is reported as a
// violation, so zod runs without it (the server keeps the compiled parsers).
import { z } from 'zod';

if (typeof window !== 'undefined' && typeof document !== 'undefined') z.config({ jitless: true });
