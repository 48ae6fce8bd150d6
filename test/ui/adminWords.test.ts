// The admin UI's words without a browser: a catalog plan's fields and values (money only on amount
// fields), the time left of an apply, and the lockout message with the server's wait, in English and
// French with their plurals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lockoutMessage } from '../../web/src/features/auth/lockoutMessage.ts';
import { fieldLabel, isAmountField, valueWords } from '../../web/src/features/catalog/planWords.ts';
import { estimateTimeLeft, timeLeftParts } from '../../web/src/features/catalog/timeLeft.ts';
import { createI18n } from '../../web/src/i18n/useI18n.tsx';
import { parseRetryAfter } from '../../web/src/lib/api.ts';

const en = createI18n('en', () => {});
const fr = createI18n('fr', () => {});
const text = (i18n: typeof en, field: string, value: string | number | boolean | null) => {
  const w = valueWords(i18n, field, value);
  return w.kind === 'text' ? w.text : w.kind;
};

describe('catalog plan words', () => {
  it('names fields in words in both languages, never by their Stripe keys', () => {
    const cases: Array<[string, string, string]> = [
      ['name', 'Name', 'Nom'],
      ['default_price', 'Default price', 'Prix par défaut'],
      ['metadata.kind', 'Kind (metadata)', 'Type (métadonnée)'],
      ['metadata.location', 'Location (metadata)', 'Lieu (métadonnée)'],
      ['price hourly', 'Price · Hourly', 'Prix · À l’heure'],
      ['price monthly.lookup_key', 'Price · Monthly · Lookup key', 'Prix · Mensuel · Clé de recherche'],
      ['price daily.metadata.pricing_type', 'Price · Daily · Pricing (metadata)', 'Prix · Journée · Tarification (métadonnée)'],
      ['orphan price', 'Unlinked price', 'Prix non rattaché'],
      ['metadata.floor', 'floor (metadata)', 'floor (métadonnée)'],
    ];
    for (const [field, english, french] of cases) {
      assert.equal(fieldLabel(en, field), english, field);
      assert.equal(fieldLabel(fr, field), french, field);
    }
  });

  it('reads amounts as money on amount fields only: an address stays as typed', () => {
    assert.ok(isAmountField('price hourly') && isAmountField('default_price') && isAmountField('orphan price'));
    assert.ok(!isAmountField('metadata.location') && !isAmountField('price hourly.lookup_key') && !isAmountField('name'));
    assert.equal(text(en, 'metadata.location', '78 rue Oberkampf, Bastille'), '78 rue Oberkampf, Bastille');
    assert.equal(text(en, 'name', '1000 eur'), '1000 eur');
    assert.equal(text(en, 'price hourly', '1000 eur (default)'), '€10.00 (default)');
    assert.equal(text(en, 'price monthly', '90000 eur / month'), '€900.00 / month');
    assert.equal(text(en, 'price monthly', '15000 eur / 3 months'), '€150.00 / 3 months');
    assert.equal(text(fr, 'default_price', '1000 eur / month'), '10,00\u00a0€ / mois');
    assert.equal(text(en, 'orphan price', '500 jpy (price_123)'), 'JP¥500 (price_123)');
    assert.equal(text(en, 'default_price', 'price_abc'), 'price_abc', 'an unknown price stays its id');
  });

  it('says booleans, kinds and empty values in words', () => {
    assert.equal(text(en, 'active', true), 'Yes');
    assert.equal(text(fr, 'active', false), 'Non');
    assert.equal(text(fr, 'metadata.kind', 'meeting_room'), 'Salle de réunion');
    assert.equal(text(en, 'description', null), 'none');
    assert.equal(text(en, 'orphan price', 'archived'), 'archived');
  });
});

describe('an apply that left entries changed since the plan', () => {
  it('says so with the language\'s plural', () => {
    assert.equal(en.tp('catalog.resultStale', 1), '1 entry changed since the plan and was not applied. Compute a new plan to review it again.');
    assert.equal(en.tp('catalog.resultStale', 3), '3 entries changed since the plan and were not applied. Compute a new plan to review them again.');
    assert.equal(en.tp('catalog.resultAppeared', 2), '2 changes appeared since the plan and were not applied. Compute a new plan to review them.');
    assert.equal(fr.tp('catalog.resultStale', 1), '1 entrée a changé depuis le plan et n’a pas été appliquée. Calculez un nouveau plan pour la revoir.');
    assert.equal(fr.tp('catalog.resultAppeared', 2), '2 modifications sont apparues depuis le plan et n’ont pas été appliquées. Calculez un nouveau plan pour les voir.');
    assert.equal(fr.t('catalog.entry.stale'), 'Modifiée depuis le plan');
    assert.equal(en.t('catalog.entry.stale'), 'Changed since the plan');
  });
});

describe('time left of an apply', () => {
  it('is what is left at the rate so far, and nothing without a rate', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(estimateTimeLeft({ total: 100, processed: 25, startedAt: start }, start + 10_000), 30_000);
    assert.equal(estimateTimeLeft({ total: 100, processed: 0, startedAt: start }, start + 10_000), null);
    assert.equal(estimateTimeLeft({ total: 100, processed: 100, startedAt: start }, start + 10_000), null);
    assert.equal(estimateTimeLeft({ total: 100, processed: 50, startedAt: null }, start), null);
    assert.equal(estimateTimeLeft({ total: 10, processed: 5, startedAt: '2026-01-01T00:00:00Z' }, start + 4_000), 4_000);
  });

  it('reads in seconds, then minutes, then hours', () => {
    assert.deepEqual(timeLeftParts(400), { value: 1, unit: 'second' });
    assert.deepEqual(timeLeftParts(45_000), { value: 45, unit: 'second' });
    assert.deepEqual(timeLeftParts(600_000), { value: 10, unit: 'minute' });
    assert.deepEqual(timeLeftParts(3 * 3600_000), { value: 3, unit: 'hour' });
  });
});

describe('lockout message', () => {
  it("says the server's wait with the language's plural", () => {
    assert.equal(lockoutMessage(en, 900), 'Too many wrong passwords for this email. Try again in 15 minutes.');
    assert.equal(lockoutMessage(en, 899), 'Too many wrong passwords for this email. Try again in 15 minutes.');
    assert.equal(lockoutMessage(en, 60), 'Too many wrong passwords for this email. Try again in 1 minute.');
    assert.equal(lockoutMessage(en, 1), 'Too many wrong passwords for this email. Try again in 1 second.');
    assert.equal(lockoutMessage(en, 30), 'Too many wrong passwords for this email. Try again in 30 seconds.');
    assert.equal(lockoutMessage(fr, 900), 'Trop de mots de passe erronés pour cette adresse. Réessayez dans 15 minutes.');
    assert.equal(lockoutMessage(fr, 61), 'Trop de mots de passe erronés pour cette adresse. Réessayez dans 2 minutes.');
    assert.equal(lockoutMessage(fr, 60), 'Trop de mots de passe erronés pour cette adresse. Réessayez dans 1 minute.');
    assert.equal(lockoutMessage(en, undefined), en.t('login.throttled'), 'no Retry-After: the general message');
  });

  it('reads Retry-After as seconds or as a date', () => {
    assert.equal(parseRetryAfter('900'), 900);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:15:00 GMT', now), 900);
  });
});
