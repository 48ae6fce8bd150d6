import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import { openDatabase } from '../../node/openDatabase.ts';
import { startPgStatusFeed } from '../../node/pgStatusFeed.ts';
import { createChangeReader, resumePoint } from '../../api/changeReader.ts';
import { untilSignal } from '../../node/startServices.ts';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

interface LogRow {
  id: number;
  created_at: Date;
  level: string;
  source: string;
  event: string;
  space_id: string | null;
  message: string;
  context?: unknown;
  duration_ms?: number | null;
  stripe_request_id?: string | null;
}

function format(row: LogRow, asJson: boolean): string {
  if (asJson) return JSON.stringify(row);
  const time = new Date(row.created_at).toISOString();
  const space = row.space_id ? ` space=${row.space_id}` : '';
  const ms = row.duration_ms != null ? ` (${row.duration_ms} ms)` : '';
  return `${time} ${row.level.toUpperCase().padEnd(5)} ${row.source}/${row.event}${space} ${row.message}${ms}`;
}

export const logsCommand: Command = {
  name: 'logs',
  summary: 'show application_logs (what the sync and the webhooks did), newest last; --follow to tail',
  usage: `
Usage: spacesync logs [--space ID] [--level LEVEL] [--source SOURCE] [--since ISO] [--limit N] [--follow] [--json]

  --space ID       only lines about this space
  --level LEVEL    minimum level: debug, info, warn, error
  --source SOURCE  only this source (sync, webhook, catalog, ...)
  --since ISO      only lines from this time on (e.g. 2025-01-31T09:00:00Z)
  --limit N        how many of the newest lines (default 100, max 10000)
  --follow, -f     keep printing new lines as they are written (Ctrl-C to stop)
  --json           one JSON object per line`,
  async run(args) {
    const { values } = parseOptions(args, {
      space: { type: 'string' },
      level: { type: 'string' },
      source: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string', default: '100' },
      follow: { type: 'boolean', short: 'f', default: false },
      json: { type: 'boolean', default: false },
    });
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be a whole number from 1 to 10000');
    if (values.level && !(LEVELS as readonly string[]).includes(values.level)) throw new UsageError(`--level must be one of ${LEVELS.join(', ')}`);
    if (values.since && Number.isNaN(Date.parse(values.since))) throw new UsageError('--since must be an ISO 8601 date-time');
    if (values.space && !/^[0-9a-f-]{36}$/i.test(values.space)) throw new UsageError('--space must be a space id (uuid)');
    const levels = values.level ? LEVELS.slice(LEVELS.indexOf(values.level as (typeof LEVELS)[number])) : LEVELS;

    const { config, log } = cliContext({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    const db = await openDatabase(config, log);
    try {
      const matches = (row: Pick<LogRow, 'level' | 'source' | 'space_id' | 'created_at'>) =>
        (levels as readonly string[]).includes(row.level) &&
        (!values.source || row.source === values.source) &&
        (!values.space || row.space_id === values.space) &&
        (!values.since || new Date(row.created_at).getTime() >= Date.parse(values.since));
      const { rows } = await db.pool.query<LogRow>(
        `select id, created_at, level, source, event, space_id, message, context, duration_ms, stripe_request_id
           from public.application_logs
          where level = any($1::text[]) and ($2::text is null or source = $2) and ($3::uuid is null or space_id = $3)
            and ($4::timestamptz is null or created_at >= $4)
          order by id desc limit $5`,
        [levels, values.source ?? null, values.space ?? null, values.since ?? null, limit],
      );
      for (const row of rows.reverse()) console.log(format(row, values.json));
      if (!values.follow) return;
      const feed = startPgStatusFeed(db.url, log);
      await feed.ready;
      // New lines are read from the change log after what was there when we started.
      const reader = createChangeReader(db.pool, (await resumePoint(db.pool, undefined)).cursor);
      let reading = Promise.resolve();
      const readNew = () => {
        reading = reading.then(async () => {
          for (;;) {
            const { messages, more, waiting } = await reader.read();
            for (const message of messages) {
              if (message.type !== 'log') continue;
              const row = message.data as unknown as LogRow;
              if (matches(row)) console.log(format(row, values.json));
            }
            if (!more && !waiting) return;
            if (waiting) await new Promise((r) => setTimeout(r, 50));
          }
        }).catch((error: unknown) => log.warn({ err: error }, 'could not read new log lines'));
      };
      feed.subscribe(readNew);
      const poll = setInterval(readNew, 1000);
      await untilSignal();
      clearInterval(poll);
      await reading;
      await feed.close();
    } finally {
      await db.close();
    }
  },
};
