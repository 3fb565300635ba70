import type { Money } from '../core/money.ts';
import { priceOrder, type OrderPrice } from './price-order.ts';
import { prepareCertificateNames, type CertificateNames } from './prepare-certificate-names.ts';

export interface CertificateQuoteInput {
  readonly cn: string;
  readonly sans?: readonly string[];
  readonly allowWildcards?: boolean;
  readonly years: number;
  readonly basePrice: Money;
  readonly ucSanPrice: Money;
  readonly domainPrice: Money;
  readonly ucSanIncluded?: number;
  readonly domainIncluded?: number;
}

export type CertificateQuote = CertificateNames & OrderPrice;

/**
 * The names an order will carry and what it costs, in one call; refuses bad names before pricing.
 * @example
 *   quoteCertificateOrder({ cn: 'example.com', sans: ['www.example.com', 'test.example.com'], years: 5,
 *     basePrice: USD 100.00, ucSanPrice: USD 0.00, domainPrice: USD 20.00 }).total.amountMinor → 12000
 */
export function quoteCertificateOrder(input: CertificateQuoteInput): CertificateQuote {
  const names = prepareCertificateNames(input);
  const price = priceOrder({
    years: input.years,
    basePrice: input.basePrice,
    ucSanPrice: input.ucSanPrice,
    domainPrice: input.domainPrice,
    ucSanCount: names.ucSanCount,
    additionalDomainCount: names.additionalDomainCount,
    ucSanIncluded: input.ucSanIncluded,
    domainIncluded: input.domainIncluded,
  });
  return { ...names, ...price };
}
