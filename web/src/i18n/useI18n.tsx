// English/French: a context holding the locale (remembered in localStorage, defaulting to the
// browser's language), t() for interface text, validation messages from the shared catalog, and
// locale-aware formatting of dates and amounts.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { currencyDecimals, formatMessage, type ErrorCode, type Locale, type MessageVars } from '../lib/catalog.ts';
import { en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';

export type { Locale, MessageKey };
export const LOCALES: readonly Locale[] = ['en', 'fr'];
const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, fr };
const LOCALE_KEY = 'spacesync.locale';

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, vars?: MessageVars): string;
  /** A validation message of the shared catalog (same codes as the API). */
  validation(code: ErrorCode, vars?: MessageVars): string;
  formatDateTime(value: string | Date | null | undefined): string;
  formatRelative(value: string | Date | null | undefined): string;
  /** 1250, 'eur' → "12,50 €" / "€12.50". */
  formatAmount(minor: number, currency: string): string;
  formatNumber(value: number): string;
  /** t() of `${key}.one|other|…` chosen by Intl.PluralRules for `count` (`n` is filled with it). */
  tp(key: string, count: number, vars?: MessageVars): string;
  /** A price in words: "€25.00 per hour", "€900.00 per month", "€50.00 every 3 months". */
  priceSummary(price: { unit_amount: number; currency: string; pricing_type: string; recurring_interval: string | null; recurring_interval_count: number }): string;
}

function fill(template: string, vars: MessageVars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (vars[name] === undefined ? whole : String(vars[name])));
}

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LOCALE_KEY);
    if (saved === 'en' || saved === 'fr') return saved;
  } catch {
    // storage disabled: fall back to the browser's language
  }
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** The BCP 47 tag the UI formats with in `locale`. */
export function localeTag(locale: Locale): string {
  return locale === 'fr' ? 'fr-FR' : 'en-GB';
}

export function createI18n(locale: Locale, setLocale: (l: Locale) => void): I18n {
  const tag = localeTag(locale);
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium' });
  const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const number = new Intl.NumberFormat(tag);
  const money = new Map<string, Intl.NumberFormat>();
  const plurals = new Intl.PluralRules(tag);
  const dict = dictionaries[locale] as Record<string, string>;
  const english = en as Record<string, string>;
  const lookup = (key: string, vars?: MessageVars) => fill(dict[key] ?? english[key] ?? key, vars);
  const toDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));
  const formatAmount = (minor: number, currency: string) => {
    const code = currency.toUpperCase();
    let f = money.get(code);
    if (!f) {
      const decimals = currencyDecimals(currency);
      try {
        f = new Intl.NumberFormat(tag, { style: 'currency', currency: code, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
      } catch {
        f = new Intl.NumberFormat(tag, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
      }
      money.set(code, f);
    }
    return f.format(minor / 10 ** currencyDecimals(currency));
  };
  return {
    locale,
    setLocale,
    t: (key, vars) => fill(dictionaries[locale][key] ?? en[key], vars),
    validation: (code, vars) => formatMessage(code, vars, locale),
    formatDateTime: (v) => (v ? dateTime.format(toDate(v)) : ''),
    formatRelative: (v) => {
      if (!v) return '';
      const seconds = Math.round((toDate(v).getTime() - Date.now()) / 1000);
      const abs = Math.abs(seconds);
      if (abs < 45) return relative.format(seconds, 'second');
      if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
      if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
      if (abs < 7 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
      return dateTime.format(toDate(v));
    },
    formatAmount,
    formatNumber: (v) => number.format(v),
    tp: (key, count, vars) => {
      const rule = plurals.select(count);
      const full = { n: number.format(count), ...vars };
      return dict[`${key}.${rule}`] !== undefined || english[`${key}.${rule}`] !== undefined ? lookup(`${key}.${rule}`, full) : lookup(`${key}.other`, full);
    },
    priceSummary(price) {
      const amount = formatAmount(price.unit_amount, price.currency);
      if (price.recurring_interval) {
        if (price.recurring_interval_count > 1) {
          return lookup('price.summary.recurringCount', { amount, count: price.recurring_interval_count, interval: lookup(`intervals.${price.recurring_interval}`) });
        }
        return lookup('price.summary.recurring', { amount, interval: lookup(`interval.${price.recurring_interval}`) });
      }
      return lookup('price.summary.once', { amount, unit: lookup(`price.unit.${price.pricing_type}`) });
    },
  };
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, locale: forced }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(forced ?? initialLocale);
  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    try {
      localStorage.setItem(LOCALE_KEY, l);
    } catch {
      // storage disabled: the choice lasts until reload
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(() => createI18n(locale, setLocale), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
