// A date and time as text in the UI's language, both ways: written with Intl.DateTimeFormat for the
// language's own order and separators (fr-FR: 03/12/2026 14:30), and read back from what someone typed
// in that order, whatever the separators. A native date input would follow the browser's locale
// instead (an English browser shows mm/dd/yyyy on a French page).

export type DateTimeFieldPart = 'day' | 'month' | 'year' | 'hour' | 'minute';

export type DateTimeProblem = 'format' | 'no_such_date';

const OPTIONS: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** The fields in the order `tag` writes them, with what comes between them. */
export function dateTimeLayout(tag: string): Array<{ part: DateTimeFieldPart } | { literal: string }> {
  return new Intl.DateTimeFormat(tag, OPTIONS)
    .formatToParts(new Date(2026, 11, 3, 14, 30))
    .map((p) => (p.type === 'literal' ? { literal: p.value } : { part: p.type as DateTimeFieldPart }))
    .filter((p) => 'literal' in p || ['day', 'month', 'year', 'hour', 'minute'].includes(p.part));
}

/** "03/12/2026 14:30" in fr-FR, in the local time zone. */
export function formatDateTimeText(date: Date, tag: string): string {
  return new Intl.DateTimeFormat(tag, OPTIONS).format(date);
}

/** The layout in words, e.g. "jj/mm/aaaa hh:mm" with letters {day: 'jj', month: 'mm', year: 'aaaa', …}. */
export function dateTimePattern(tag: string, letters: Record<DateTimeFieldPart, string>): string {
  return dateTimeLayout(tag)
    .map((p) => ('literal' in p ? p.literal : letters[p.part]))
    .join('');
}

/**
 * What was typed, read in the order of `tag`: day, month and year (the time, hours then minutes, may
 * be left out: midnight), any separators. A local time; or the problem: not in that shape, or a date
 * the calendar does not have (31/02, 24:00).
 */
export function parseDateTimeText(text: string, tag: string): { date: Date } | { problem: DateTimeProblem } {
  const numbers = text.trim().match(/\d+/g) ?? [];
  if (/[^\d\s/.,:\-–hH]/.test(text.trim()) || (numbers.length !== 3 && numbers.length !== 5)) return { problem: 'format' };
  const order = dateTimeLayout(tag).flatMap((p) => ('part' in p ? [p.part] : []));
  const value: Record<DateTimeFieldPart, number> = { day: 0, month: 0, year: 0, hour: 0, minute: 0 };
  const dateOrder = order.filter((p) => p === 'day' || p === 'month' || p === 'year');
  const timeOrder = order.filter((p) => p === 'hour' || p === 'minute');
  const fields = [...dateOrder, ...timeOrder];
  for (let i = 0; i < numbers.length; i++) value[fields[i]] = Number(numbers[i]);
  const yearDigits = numbers[dateOrder.indexOf('year')].length;
  if (yearDigits !== 4) return { problem: 'format' };
  const { day, month, year, hour, minute } = value;
  const date = new Date(year, month - 1, day, hour, minute);
  const same = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day && date.getHours() === hour && date.getMinutes() === minute;
  if (!same || hour > 23 || minute > 59) return { problem: 'no_such_date' };
  return { date };
}
