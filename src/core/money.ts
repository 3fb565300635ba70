import { AppError } from './errors/index.ts';

/** An amount in integer minor units (cents) of an ISO 4217 currency. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

const CURRENCY_RE = /^[A-Z]{3}$/;
const exponentCache = new Map<string, number>();
let supportedCurrencies: ReadonlySet<string> | undefined;

/** Minor-unit digits of a currency (USD 2, JPY 0, BHD 3), from the ICU data Node ships. */
export function currencyExponent(currency: string): number {
  const code = assertCurrency(currency);
  let exp = exponentCache.get(code);
  if (exp === undefined) {
    exp = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits as number;
    exponentCache.set(code, exp);
  }
  return exp;
}

export function assertCurrency(currency: string): string {
  const code = currency.trim().toUpperCase();
  // ICU's list is built anew on every call; read it once.
  supportedCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  if (!CURRENCY_RE.test(code) || !supportedCurrencies.has(code)) {
    throw new AppError(
      'MONEY_INVALID_CURRENCY',
      `"${currency}" is not an ISO 4217 currency code (e.g. USD, EUR).`,
      {
        currency,
      },
    );
  }
  return code;
}

export function money(amountMinor: number, currency: string): Money {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new AppError(
      'MONEY_INVALID_AMOUNT',
      `Amount must be a whole number of minor units; got ${amountMinor}.`,
    );
  }
  return Object.freeze({ amountMinor, currency: assertCurrency(currency) });
}

/**
 * Parses a decimal string ("100.00", "20", "-5.5") into minor units without floating point.
 * @example parseMoney('100.00', 'USD') → { amountMinor: 10000, currency: 'USD' }
 */
export function parseMoney(text: string, currency: string): Money {
  const code = assertCurrency(currency);
  const exp = currencyExponent(code);
  const m = /^\s*(-)?(\d{1,15})(?:\.(\d+))?\s*$/.exec(text);
  if (!m || (m[3] !== undefined && m[3].length > exp)) {
    throw new AppError(
      'MONEY_INVALID_AMOUNT',
      `"${text}" is not a valid ${code} amount: use digits with at most ${exp} decimal place(s), e.g. ${exp ? '100.' + '0'.repeat(exp) : '100'}.`,
      { amount: text, currency: code },
    );
  }
  const whole = Number(m[2]) * 10 ** exp;
  const frac = m[3] ? Number(m[3].padEnd(exp, '0')) : 0;
  const amount = whole + frac;
  return money(m[1] ? -amount : amount, code);
}

/** Formats minor units back to a plain decimal string: 12000 USD → "120.00". */
export function formatMoney(m: Money): string {
  const exp = currencyExponent(m.currency);
  const sign = m.amountMinor < 0 ? '-' : '';
  const abs = Math.abs(m.amountMinor);
  if (exp === 0) return `${sign}${abs}`;
  const s = String(abs).padStart(exp + 1, '0');
  return `${sign}${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amountMinor - b.amountMinor, a.currency);
}

export function multiplyMoney(a: Money, factor: number): Money {
  if (!Number.isInteger(factor)) throw new RangeError('factor must be an integer');
  return money(a.amountMinor * factor, a.currency);
}

export function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new AppError('MONEY_CURRENCY_MISMATCH', `Cannot combine ${a.currency} and ${b.currency} amounts.`, {
      currencies: [a.currency, b.currency],
    });
  }
}
