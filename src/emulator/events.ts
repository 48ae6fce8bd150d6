// The event log: every write makes an event; kept newest-last, capped to the last N events.
import { Collection } from './collection.ts';
import { previousAttributes } from './diff.ts';
import { invalidParam, resourceMissing } from './errors.ts';
import { newId } from './ids.ts';
import { paginate, readPageParams } from './pagination.ts';
import { assertKnown, createdFilter, matchesCreated, str, strArr, type Input } from './params.ts';
import { nowSeconds, type Actor, type StripeEvent } from './types.ts';

export const EVENT_CAP = 10_000;

/** Called for each new event; returns how many webhook deliveries it scheduled. */
export type EventSubscriber = (event: StripeEvent) => number;

export class EventLog {
  readonly events = new Collection<StripeEvent>(EVENT_CAP);
  subscriber: EventSubscriber | null = null;

  emit(type: string, object: Record<string, unknown>, actor: Actor, previous?: Record<string, unknown> | null): StripeEvent {
    const data: StripeEvent['data'] = { object };
    if (previous) data.previous_attributes = previous;
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: actor.apiVersion,
      created: nowSeconds(),
      data,
      livemode: false,
      pending_webhooks: 0,
      request: { id: actor.requestId, idempotency_key: actor.idempotencyKey },
      type,
    };
    this.events.insert(event);
    if (this.subscriber) event.pending_webhooks = this.subscriber(event);
    return event;
  }

  /** Emits `<kind>.updated` when something changed; returns whether it did. */
  emitUpdate<T extends object>(kind: string, before: T, after: T, actor: Actor, render: (o: T) => Record<string, unknown>): boolean {
    const prev = previousAttributes(before as Record<string, unknown>, after as Record<string, unknown>);
    if (!prev) return false;
    this.emit(`${kind}.updated`, render(after), actor, prev);
    return true;
  }

  clear(): void {
    this.events.clear();
  }
}

/** `type` accepts a `*` wildcard (e.g. `product.*`), like Stripe's. */
function typeMatcher(pattern: string): (t: string) => boolean {
  if (!pattern.includes('*')) return (t) => t === pattern;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^]*')}$`);
  return (t) => re.test(t);
}

export function listEvents(log: EventLog, input: Input) {
  assertKnown(input, ['created', 'delivery_success', 'ending_before', 'expand', 'limit', 'starting_after', 'type', 'types']);
  const page = readPageParams(input);
  const created = createdFilter(input);
  const type = str(input, 'type');
  const types = strArr(input, 'types');
  if (type && types) throw invalidParam('You may only specify one of these parameters: type, types.', 'types');
  const matchers = (types ?? (type ? [type] : [])).map(typeMatcher);
  return paginate(log.events, 'event', page, (e) => matchesCreated(e.created, created) && (matchers.length === 0 || matchers.some((m) => m(e.type))));
}

export function retrieveEvent(log: EventLog, id: string): StripeEvent {
  const event = log.events.get(id);
  if (!event) throw resourceMissing('event', id, 'id');
  return event;
}
