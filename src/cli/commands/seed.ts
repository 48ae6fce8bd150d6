import type { Command } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import { openDatabase } from '../../node/openDatabase.ts';
import { positiveInt } from './worker.ts';
import { mulberry32 } from '../../emulator/prng.ts';

// Demo data: realistic bookable spaces of a French/English coworking network.
const PLACES = ['Bastille', 'Canal Saint-Martin', 'Montmartre', 'Opéra', 'République', 'Belleville', 'Shoreditch', 'Soho', 'Camden', 'La Défense', 'Confluence', 'Vieux-Port', 'Chartrons', 'Croix-Rousse', 'King’s Cross', 'Marais'];
const KINDS = [
  { kind: 'meeting_room', names: ['Salle', 'Meeting room', 'Salle de réunion', 'Boardroom'], capacity: [4, 16] },
  { kind: 'desk', names: ['Bureau flexible', 'Hot desk', 'Poste fixe', 'Dedicated desk'], capacity: [1, 1] },
  { kind: 'office', names: ['Bureau privatif', 'Private office', 'Team office', 'Studio'], capacity: [2, 12] },
  { kind: 'venue', names: ['Auditorium', 'Rooftop', 'Event space', 'Salle de conférence'], capacity: [30, 200] },
] as const;
const DESCRIPTIONS = [
  'Lumineux, écran 4K et tableau blanc.',
  'Quiet, bright, with a view over the courtyard.',
  'Café à volonté, fibre optique, accès 24/7.',
  'Video-conference kit, whiteboard wall and natural light.',
  'Idéal pour ateliers et formations.',
];
const PRICE_SETS: Record<string, Array<{ type: string; amount: [number, number]; interval?: string }>> = {
  meeting_room: [{ type: 'hourly', amount: [2500, 9000] }, { type: 'half_day', amount: [9000, 30000] }, { type: 'daily', amount: [15000, 55000] }],
  desk: [{ type: 'daily', amount: [1500, 3500] }, { type: 'weekly', amount: [6000, 15000] }, { type: 'monthly', amount: [18000, 45000], interval: 'month' }],
  office: [{ type: 'daily', amount: [8000, 20000] }, { type: 'monthly', amount: [90000, 450000], interval: 'month' }, { type: 'weekly', amount: [30000, 90000] }],
  venue: [{ type: 'half_day', amount: [50000, 150000] }, { type: 'daily', amount: [90000, 300000] }, { type: 'hourly', amount: [15000, 40000] }],
};

export interface SeedSpace {
  name: string;
  description: string;
  kind: string;
  capacity: number;
  location: string;
  prices: Array<{ pricing_type: string; unit_amount: number; recurring_interval: string | null }>;
}

export function demoSpaces(count: number, seed = 1): SeedSpace[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const spaces: SeedSpace[] = [];
  for (let i = 0; i < count; i++) {
    const k = pick(KINDS);
    const place = pick(PLACES);
    const set = PRICE_SETS[k.kind];
    const n = between(1, 3);
    spaces.push({
      name: `${pick(k.names)} ${place} ${i + 1}`,
      description: pick(DESCRIPTIONS),
      kind: k.kind,
      capacity: between(k.capacity[0], k.capacity[1]),
      location: `${between(1, 120)} rue ${pick(['de la Roquette', 'Oberkampf', 'du Faubourg', 'Old Street', 'Brick Lane', 'des Martyrs'])}, ${place}`,
      prices: set.slice(0, n).map((p) => ({
        pricing_type: p.type,
        unit_amount: Math.round(between(p.amount[0], p.amount[1]) / 100) * 100,
        recurring_interval: p.interval ?? null,
      })),
    });
  }
  return spaces;
}

export const seedCommand: Command = {
  name: 'seed',
  summary: 'insert demo spaces with 1 to 3 prices each (synced by the worker like any edit)',
  usage: `
Usage: spacesync seed [--spaces N] [--seed S]

Inserts N demo spaces (default 12): meeting rooms, desks, offices and venues with French and English
names, capacities, locations and 1 to 3 prices each. Each insert queues its sync like any edit: run
a worker (or \`spacesync start\`), or \`spacesync catalog sync\`, to create them in Stripe.

  --spaces N   how many spaces (default 12)
  --seed S     seed of the generator (default 1): the same seed gives the same spaces`,
  async run(args) {
    const { values } = parseOptions(args, { spaces: { type: 'string' }, seed: { type: 'string' } });
    const count = positiveInt('spaces', values.spaces, 12);
    const seed = positiveInt('seed', values.seed, 1);
    const { config, log } = cliContext();
    const db = await openDatabase(config, log);
    try {
      const spaces = demoSpaces(count, seed);
      // One statement per batch of 500: spaces and their prices together.
      for (let i = 0; i < spaces.length; i += 500) {
        const batch = spaces.slice(i, i + 500);
        await db.pool.query(
          `with input as (
             select * from jsonb_to_recordset($1::jsonb) as x(name text, description text, kind text, capacity int, location text, prices jsonb)
           ), s as (
             insert into public.spaces (name, description, kind, capacity, location)
             select name, description, kind, capacity, location from input
             returning id, name
           )
           insert into public.space_prices (space_id, pricing_type, unit_amount, currency, recurring_interval, is_default, position)
           select s.id, p.pricing_type, p.unit_amount, 'eur', p.recurring_interval, p.ord = 1, p.ord - 1
             from s join input i on i.name = s.name
             cross join lateral rows from (jsonb_to_recordset(i.prices) as (pricing_type text, unit_amount bigint, recurring_interval text)) with ordinality as p(pricing_type, unit_amount, recurring_interval, ord)`,
          [JSON.stringify(batch)],
        );
      }
      const prices = spaces.reduce((n, s) => n + s.prices.length, 0);
      console.log(`inserted ${spaces.length} spaces with ${prices} prices; a worker syncs them to Stripe`);
    } finally {
      await db.close();
    }
  },
};
