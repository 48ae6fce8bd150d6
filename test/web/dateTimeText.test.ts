// Dates as text in the UI's language: written and read in the language's order, whatever the browser's
// locale; impossible dates refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateTimePattern, formatDateTimeText, parseDateTimeText } from '../../web/src/lib/dateTimeText.ts';

const fr = { day: 'jj', month: 'mm', year: 'aaaa', hour: 'hh', minute: 'mm' } as const;
const en = { day: 'dd', month: 'mm', year: 'yyyy', hour: 'hh', minute: 'mm' } as const;

test('written in the language’s order: day first in French and British English, month first in US English', () => {
  const date = new Date(2026, 11, 3, 14, 30);
  assert.equal(formatDateTimeText(date, 'fr-FR'), '03/12/2026 14:30');
  assert.equal(formatDateTimeText(date, 'en-GB'), '03/12/2026, 14:30');
  assert.equal(formatDateTimeText(date, 'en-US'), '12/03/2026, 14:30');
  assert.equal(dateTimePattern('fr-FR', fr), 'jj/mm/aaaa hh:mm');
  assert.equal(dateTimePattern('en-GB', en), 'dd/mm/yyyy, hh:mm');
});

test('read back in the same order, with any separators, the time optional', () => {
  const at = (text: string, tag = 'fr-FR') => {
    const r = parseDateTimeText(text, tag);
    assert.ok('date' in r, `${text}: ${JSON.stringify(r)}`);
    return r.date.getTime();
  };
  assert.equal(at('03/12/2026 14:30'), new Date(2026, 11, 3, 14, 30).getTime());
  assert.equal(at('3.12.2026 14h30'), new Date(2026, 11, 3, 14, 30).getTime());
  assert.equal(at('03/12/2026'), new Date(2026, 11, 3).getTime());
  assert.equal(at('12/03/2026, 14:30', 'en-US'), new Date(2026, 11, 3, 14, 30).getTime());
  for (const tag of ['fr-FR', 'en-GB', 'en-US']) {
    const date = new Date(2027, 0, 31, 9, 5);
    assert.equal(at(formatDateTimeText(date, tag), tag), date.getTime(), `${tag} round trip`);
  }
});

test('refused: not a date in that shape, or a date the calendar does not have', () => {
  assert.deepEqual(parseDateTimeText('yesterday', 'fr-FR'), { problem: 'format' });
  assert.deepEqual(parseDateTimeText('03/12/26 14:30', 'fr-FR'), { problem: 'format' }, 'a year of four digits');
  assert.deepEqual(parseDateTimeText('03/12/2026 14', 'fr-FR'), { problem: 'format' });
  assert.deepEqual(parseDateTimeText('31/02/2026 10:00', 'fr-FR'), { problem: 'no_such_date' });
  assert.deepEqual(parseDateTimeText('12/31/2026 10:00', 'fr-FR'), { problem: 'no_such_date' }, 'month first is not French');
  assert.deepEqual(parseDateTimeText('03/12/2026 24:00', 'fr-FR'), { problem: 'no_such_date' });
});
