import type { Command } from 'commander';
import { AppError } from '../../core/errors/index.ts';
import { assertCurrency, formatMoney, parseMoney, type Money } from '../../core/money.ts';
import {
  assertSanCount,
  type ClassifiedName,
  type FoldedName,
} from '../../domain/prepare-certificate-names.ts';
import type { PriceLine } from '../../domain/price-order.ts';
import { quoteCertificateOrder } from '../../domain/quote-certificate-order.ts';
import { parseYears } from '../../domain/subscription-terms.ts';
import { requireOption as required, withOutput, type OutputOptions } from '../output.ts';

interface QuoteOptions extends OutputOptions {
  cn?: string;
  san?: string;
  years?: string;
  basePrice?: string;
  ucPrice?: string;
  domainPrice?: string;
  ucIncluded?: string;
  domainIncluded?: string;
  currency?: string;
  wildcard?: boolean;
}

export interface QuoteView {
  cn: string;
  names: ClassifiedName[];
  folded: FoldedName[];
  ucSanCount: number;
  additionalDomainCount: number;
  lines: PriceLine[];
  total: Money;
}

/**
 * `certbill quote`: normalises and classifies the names of an order and prices it, line by line.
 * @example certbill quote --cn example.com --san www.example.com,test.example.com --years 5 --base-price 100.00
 *   --uc-price 0.00 --domain-price 20.00 --currency USD --json → {…,"total":{"amountMinor":12000,"currency":"USD"}}
 */
export function registerQuoteCommand(program: Command): void {
  const command = program
    .command('quote')
    .description('Classify the names of an order (UC SAN or additional domain) and price it')
    .option('--cn <name>', 'common name, e.g. example.com')
    .option('--san <names>', 'additional names, comma-separated (at most 100)')
    .option('--years <n>', 'paid period in years, 1 to 5')
    .option('--base-price <amount>', 'tariff price for the period, e.g. 100.00')
    .option('--uc-price <amount>', 'UC SAN addon price per name for the period')
    .option('--domain-price <amount>', 'additional domain addon price per name for the period')
    .option('--uc-included <n>', 'UC SAN names included for free', '0')
    .option('--domain-included <n>', 'additional domains included for free', '0')
    .option('--currency <code>', 'ISO 4217 currency of the prices, e.g. USD')
    .option('--no-wildcard', 'refuse wildcard names (products without wildcard support)')
    .option('--json', 'print JSON');
  command.action(withOutput<QuoteOptions, QuoteView>(runQuote, renderQuote));
}

function runQuote(opts: QuoteOptions): QuoteView {
  const cn = required(opts.cn, '--cn', 'a domain name such as example.com');
  const sans = (opts.san ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  assertSanCount(sans.length);
  const years = parseYears(required(opts.years, '--years', 'a whole number from 1 to 5'));
  const currency = assertCurrency(required(opts.currency, '--currency', 'an ISO 4217 code such as USD'));
  const price = (value: string | undefined, option: string): Money =>
    parseMoney(required(value, option, 'an amount such as 20.00'), currency);
  const quote = quoteCertificateOrder({
    cn,
    sans,
    allowWildcards: opts.wildcard !== false,
    years,
    basePrice: price(opts.basePrice, '--base-price'),
    ucSanPrice: price(opts.ucPrice, '--uc-price'),
    domainPrice: price(opts.domainPrice, '--domain-price'),
    ucSanIncluded: count(opts.ucIncluded, '--uc-included'),
    domainIncluded: count(opts.domainIncluded, '--domain-included'),
  });
  return {
    cn: quote.cn,
    names: [...quote.names],
    folded: [...quote.folded],
    ucSanCount: quote.ucSanCount,
    additionalDomainCount: quote.additionalDomainCount,
    lines: [...quote.lines],
    total: quote.total,
  };
}

function renderQuote(view: QuoteView): string {
  const amount = (m: Money): string => `${formatMoney(m)} ${m.currency}`;
  return [
    `Common name: ${view.cn}`,
    ...view.names.map((n) => `  ${n.name}  ${n.addon} (SANOptionType ${n.sanOptionType})`),
    ...view.folded.map(
      (f) => `  ${f.input}  folded: ${f.reason === 'common-name' ? 'repeats the common name' : 'duplicate'}`,
    ),
    `UC SANs: ${view.ucSanCount}, additional domains: ${view.additionalDomainCount}`,
    '',
    ...view.lines.map((l) => `${l.description.padEnd(48)} ${amount(l.amount).padStart(16)}`),
    `${'Total'.padEnd(48)} ${amount(view.total).padStart(16)}`,
  ].join('\n');
}

function count(value: string | undefined, option: string): number {
  const text = value ?? '0';
  if (!/^\s*\d{1,6}\s*$/.test(text)) {
    throw new AppError('CORE_VALIDATION', `${option} must be a whole number, zero or more; got "${text}".`, {
      option,
    });
  }
  return Number(text);
}
