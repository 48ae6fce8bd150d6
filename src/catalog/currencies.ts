/**
 * Currencies Stripe supports for prices (presentment currencies), lower-case ISO 4217,
 * and conversions between what an admin types (major units) and what Stripe stores (minor units).
 */

export const STRIPE_CURRENCIES = [
  'aed', 'afn', 'all', 'amd', 'ang', 'aoa', 'ars', 'aud', 'awg', 'azn', 'bam', 'bbd', 'bdt', 'bgn',
  'bhd', 'bif', 'bmd', 'bnd', 'bob', 'brl', 'bsd', 'bwp', 'byn', 'bzd', 'cad', 'cdf', 'chf', 'clp',
  'cny', 'cop', 'crc', 'cve', 'czk', 'djf', 'dkk', 'dop', 'dzd', 'egp', 'etb', 'eur', 'fjd', 'fkp',
  'gbp', 'gel', 'gip', 'gmd', 'gnf', 'gtq', 'gyd', 'hkd', 'hnl', 'htg', 'huf', 'idr', 'ils', 'inr',
  'isk', 'jmd', 'jod', 'jpy', 'kes', 'kgs', 'khr', 'kmf', 'krw', 'kwd', 'kyd', 'kzt', 'lak', 'lbp',
  'lkr', 'lrd', 'lsl', 'mad', 'mdl', 'mga', 'mkd', 'mmk', 'mnt', 'mop', 'mur', 'mvr', 'mwk', 'mxn',
  'myr', 'mzn', 'nad', 'ngn', 'nio', 'nok', 'npr', 'nzd', 'omr', 'pab', 'pen', 'pgk', 'php', 'pkr',
  'pln', 'pyg', 'qar', 'ron', 'rsd', 'rub', 'rwf', 'sar', 'sbd', 'scr', 'sek', 'sgd', 'shp', 'sle',
  'sos', 'srd', 'std', 'szl', 'thb', 'tjs', 'tnd', 'top', 'try', 'ttd', 'twd', 'tzs', 'uah', 'ugx',
  'usd', 'uyu', 'uzs', 'vnd', 'vuv', 'wst', 'xaf', 'xcd', 'xof', 'xpf', 'yer', 'zar', 'zmw',
] as const;

export type StripeCurrency = (typeof STRIPE_CURRENCIES)[number];

/** Amounts are whole units (¥1 = 1). */
export const ZERO_DECIMAL_CURRENCIES = [
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf',
  'xof', 'xpf',
] as const;

/** Amounts have three decimals (1.000 KWD = 1000); Stripe wants the last digit to be 0. */
export const THREE_DECIMAL_CURRENCIES = ['bhd', 'jod', 'kwd', 'omr', 'tnd'] as const;

/** Stripe's largest unit_amount, in minor units. */
export const MAX_UNIT_AMOUNT = 99_999_999;

const currencySet: ReadonlySet<string> = new Set(STRIPE_CURRENCIES);
const zeroDecimalSet: ReadonlySet<string> = new Set(ZERO_DECIMAL_CURRENCIES);
const threeDecimalSet: ReadonlySet<string> = new Set(THREE_DECIMAL_CURRENCIES);

export function isStripeCurrency(code: string): code is StripeCurrency {
  return currencySet.has(code);
}

export function isZeroDecimalCurrency(currency: string): boolean {
  return zeroDecimalSet.has(currency.toLowerCase());
}

/** Number of decimals of a currency's major unit as Stripe counts them (0, 2 or 3). */
export function currencyDecimals(currency: string): 0 | 2 | 3 {
  const c = currency.toLowerCase();
  if (zeroDecimalSet.has(c)) return 0;
  if (threeDecimalSet.has(c)) return 3;
  return 2;
}

/**
 * "12,50" / "12.50" / 12.5 EUR → 1250; "1 200" JPY → 1200.
 * Accepts a dot or a comma as decimal separator and spaces as thousands separators (French input).
 * Throws a RangeError naming the problem when the value is not a non-negative amount with at most
 * the currency's number of decimals.
 */
export function toMinorUnits(major: string | number, currency: string): number {
  const decimals = currencyDecimals(currency);
  if (typeof major === 'number') {
    if (!Number.isFinite(major) || major < 0) {
      throw new RangeError(`amount must be a non-negative number, got ${major}`);
    }
    const scaled = major * 10 ** decimals;
    const rounded = Math.round(scaled);
    if (Math.abs(scaled - rounded) > 1e-6 * Math.max(1, Math.abs(scaled))) {
      throw new RangeError(`amount ${major} has more than ${decimals} decimals for ${currency}: round it`);
    }
    return rounded;
  }
  const text = major.replace(/[\s\u00a0\u202f]/g, '');
  const m = /^(\d+)(?:[.,](\d*))?$/.exec(text);
  if (!m) {
    throw new RangeError(`amount "${major}" is not a number: type digits with at most one "." or ","`);
  }
  const whole = m[1];
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) {
    throw new RangeError(`amount "${major}" has more than ${decimals} decimals for ${currency}: round it`);
  }
  const minor = Number(whole + frac.padEnd(decimals, '0'));
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount "${major}" is too large`);
  return minor;
}

/** 1250 EUR → "12.50"; 1200 JPY → "1200"; 1500 KWD → "1.500". Always a dot, no thousands separator. */
export function fromMinorUnits(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor amount must be an integer, got ${minor}`);
  const decimals = currencyDecimals(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor));
  if (decimals === 0) return sign + digits;
  const padded = digits.padStart(decimals + 1, '0');
  return `${sign}${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
}
