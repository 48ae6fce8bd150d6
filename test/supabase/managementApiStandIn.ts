// A local stand-in for Supabase's Management API (api.supabase.com), enough for the Supabase CLI's
// `link`, `secrets set` and `functions deploy --use-api`: it answers the routes those commands call
// and records every request (method, path, query, authorization, body). The CLI is pointed at it with
// a profile file (`SUPABASE_PROFILE=<path>`: api_url, project_host), as Supabase's own CLI tests do.
// `link` reads the project's pooler settings from it: they point at the fixture database, so
// `db push` on the linked project reaches that database through the "pooler".
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  contentType: string | null;
  body: Buffer;
}

export interface UploadedFile {
  name: string;
  filename: string;
  content: Buffer;
}

export interface ManagementApiStandIn {
  url: string;
  /** A profile file for SUPABASE_PROFILE: the CLI calls this stand-in instead of api.supabase.com. */
  profilePath: string;
  requests: RecordedRequest[];
  /** Secrets as the last `POST /v1/projects/{ref}/secrets` set them. */
  secrets: Map<string, string>;
  stop(): Promise<void>;
}

export interface StandInOptions {
  projectRef: string;
  /** Where `link` is told the project's (session-mode) pooler is: the fixture database. */
  pooler: { host: string; port: number; database: string; user: string };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The parts of a multipart/form-data body (what `functions deploy --use-api` uploads). */
export function parseMultipart(body: Buffer, contentType: string): UploadedFile[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new Error(`not a multipart body: ${contentType}`);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: UploadedFile[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // after CRLF, before CRLF
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const name = /name="([^"]*)"/.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(headers)?.[1] ?? '';
    parts.push({ name, filename, content: part.subarray(headerEnd + 4) });
    start = next;
  }
  return parts;
}

export async function startManagementApiStandIn(options: StandInOptions): Promise<ManagementApiStandIn> {
  const { projectRef: ref, pooler } = options;
  const requests: RecordedRequest[] = [];
  const secrets = new Map<string, string>();
  const deployed = new Map<string, { id: string; slug: string; name: string; version: number; entrypoint_path?: string; import_map_path?: string; verify_jwt?: boolean }>();
  const project = `/v1/projects/${ref}`;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const body = await readBody(req);
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization ?? null,
      contentType: req.headers['content-type'] ?? null,
      body,
    });
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) return json(401, { message: 'Unauthorized' });
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case `GET ${project}`:
        return json(200, {
          id: ref,
          ref,
          organization_id: 'stand-in-org',
          organization_slug: 'stand-in-org',
          name: 'spacesync',
          region: 'eu-west-3',
          created_at: '2026-01-01T00:00:00Z',
          status: 'ACTIVE_HEALTHY',
          database: { host: `db.${ref}.supabase.invalid`, version: '15.8.1.100', postgres_engine: '15', release_channel: 'ga' },
        });
      case `GET ${project}/api-keys`:
        return json(200, [
          { name: 'anon', api_key: 'stand-in-anon-key', type: 'legacy' },
          { name: 'service_role', api_key: 'stand-in-service-role-key', type: 'legacy' },
        ]);
      case `GET ${project}/config/database/pooler`:
        return json(200, [
          {
            identifier: ref,
            database_type: 'PRIMARY',
            is_using_scram_auth: true,
            db_user: pooler.user,
            db_host: pooler.host,
            db_port: pooler.port,
            db_name: pooler.database,
            connection_string: `postgresql://${pooler.user}:[YOUR-PASSWORD]@${pooler.host}:${pooler.port}/${pooler.database}`,
            default_pool_size: 15,
            max_client_conn: 200,
            pool_mode: 'session',
          },
        ]);
      case `POST ${project}/secrets`: {
        for (const { name, value } of JSON.parse(body.toString('utf8')) as Array<{ name: string; value: string }>) secrets.set(name, value);
        return json(201, {});
      }
      case `GET ${project}/secrets`:
        return json(200, [...secrets.keys()].map((name) => ({ name, value: 'redacted' })));
      case `POST ${project}/functions/deploy`: {
        const slug = url.searchParams.get('slug') ?? '';
        const files = parseMultipart(body, req.headers['content-type'] ?? '');
        const metadata = JSON.parse(files.find((f) => f.name === 'metadata')?.content.toString('utf8') ?? '{}') as { entrypoint_path?: string; import_map_path?: string; verify_jwt?: boolean };
        const version = (deployed.get(slug)?.version ?? 0) + 1;
        const fn = { id: `fn-${slug}`, slug, name: slug, version, entrypoint_path: metadata.entrypoint_path, import_map_path: metadata.import_map_path, verify_jwt: metadata.verify_jwt };
        deployed.set(slug, fn);
        return json(201, { ...fn, status: 'ACTIVE', created_at: Date.now(), updated_at: Date.now() });
      }
      case `PUT ${project}/functions`:
        return json(200, { functions: [...deployed.values()].map((f) => ({ ...f, status: 'ACTIVE', created_at: Date.now() })) });
      case `GET ${project}/functions`:
        return json(200, [...deployed.values()].map((f) => ({ ...f, status: 'ACTIVE', created_at: Date.now(), updated_at: Date.now() })));
      default:
        // Settings `link` reads and can do without (postgrest, auth, storage, network restrictions…).
        return json(404, { message: `the stand-in does not answer ${route}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'spacesync-management-api-'));
  const profilePath = join(dir, 'profile.yaml');
  // project_host: where the CLI looks for db.<ref>.<host> (never resolves: `link`'s pooler is used).
  writeFileSync(profilePath, `name: stand-in\napi_url: ${url}\ndashboard_url: ${url}/dashboard\nproject_host: supabase.invalid\n`);
  return {
    url,
    profilePath,
    requests,
    secrets,
    stop: () =>
      new Promise<void>((resolve) => {
        rmSync(dir, { recursive: true, force: true });
        server.close(() => resolve());
      }),
  };
}

/** The personal access token the stand-in accepts (the CLI checks its shape: sbp_ and 40 hex digits). */
export const ACCESS_TOKEN = `sbp_${'0123456789abcdef'.repeat(3).slice(0, 40)}`;
