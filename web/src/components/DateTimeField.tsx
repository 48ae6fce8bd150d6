// A date and time typed as text in the UI's language (lib/dateTimeText.ts), not a native date input,
// which would follow the browser's locale. Labelled, with the expected format as its hint and a
// clear message when what was typed is not a date. Keyboard: Enter (or leaving the field) applies,
// Escape goes back to the applied value, ↑/↓ move it by a day (with Shift, by an hour).
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { localeTag, useI18n } from '../i18n/useI18n.tsx';
import { dateTimePattern, formatDateTimeText, parseDateTimeText } from '../lib/dateTimeText.ts';
import { inputClass } from './Field.tsx';

interface DateTimeFieldProps {
  label: string;
  /** ISO 8601, or undefined for none. */
  value: string | undefined;
  onChange(value: string | undefined): void;
  className?: string;
}

export function DateTimeField({ label, value, onChange, className = '' }: DateTimeFieldProps) {
  const { t, locale } = useI18n();
  const tag = localeTag(locale);
  const id = useId();
  const shown = value && !Number.isNaN(Date.parse(value)) ? formatDateTimeText(new Date(value), tag) : '';
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | undefined>();
  // The applied value (or the language) changed: show it.
  useEffect(() => {
    setText(shown);
    setError(undefined);
  }, [shown]);

  const pattern = dateTimePattern(tag, { day: t('dateField.day'), month: t('dateField.month'), year: t('dateField.year'), hour: t('dateField.hour'), minute: t('dateField.minute') });
  const example = formatDateTimeText(new Date(2026, 11, 3, 14, 30), tag);

  const apply = (typed: string) => {
    if (typed.trim() === '') {
      setError(undefined);
      if (value !== undefined) onChange(undefined);
      return;
    }
    const read = parseDateTimeText(typed, tag);
    if ('problem' in read) {
      setError(t(read.problem === 'format' ? 'dateField.badFormat' : 'dateField.noSuchDate', { text: typed.trim(), format: pattern, example }));
      return;
    }
    setError(undefined);
    const iso = read.date.toISOString();
    setText(formatDateTimeText(read.date, tag));
    if (iso !== value) onChange(iso);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      // Applied here, not by the form around it (which would apply its other fields over this one).
      e.preventDefault();
      apply(text);
    }
    else if (e.key === 'Escape' && (text !== shown || error)) {
      e.preventDefault();
      setText(shown);
      setError(undefined);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      const read = parseDateTimeText(text, tag);
      if ('problem' in read) return;
      e.preventDefault();
      const step = (e.key === 'ArrowUp' ? 1 : -1) * (e.shiftKey ? 1 : 24);
      const next = new Date(read.date);
      next.setHours(next.getHours() + step);
      apply(formatDateTimeText(next, tag));
    }
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={className}>
      <div className="mb-1 flex items-baseline justify-between gap-2 text-xs">
        <label htmlFor={id} className="font-medium text-slate-700">
          {label}
        </label>
        <span id={hintId} className="text-slate-500 tabular-nums" data-date-format>
          <span className="sr-only">{t('dateField.hint', { format: pattern })}</span>
          <span aria-hidden>{pattern}</span>
        </span>
      </div>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        className={inputClass}
        value={text}
        placeholder={pattern}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => apply(text)}
        onKeyDown={onKeyDown}
        data-date-field
      />
      <p id={errorId} className={error ? 'mt-1 max-w-full text-xs text-red-600' : 'sr-only'} aria-live="polite" data-field-error>
        {error ?? ''}
      </p>
    </div>
  );
}
