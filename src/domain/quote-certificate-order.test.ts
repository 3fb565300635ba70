import { describe, expect, it } from 'vitest';
import { parseMoney } from '../core/money.ts';
import { quoteCertificateOrder } from './quote-certificate-order.ts';

const usd = (amount: string) => parseMoney(amount, 'USD');
const prices = { years: 5, basePrice: usd('100.00'), ucSanPrice: usd('0.00'), domainPrice: usd('20.00') };

describe('quoteCertificateOrder', () => {
  it('quotes example.com with www and test subdomains at 120.00', () => {
    const quote = quoteCertificateOrder({
      cn: 'example.com',
      sans: ['www.example.com', 'test.example.com'],
      ...prices,
    });
    expect([quote.ucSanCount, quote.additionalDomainCount]).toEqual([1, 1]);
    expect(quote.total).toEqual({ amountMinor: 12000, currency: 'USD' });
  });

  it('does not charge a name twice when it is repeated in another spelling', () => {
    const quote = quoteCertificateOrder({
      cn: 'example.com',
      sans: ['test.example.com', 'TEST.example.com.', 'example.com'],
      ...prices,
    });
    expect(quote.total.amountMinor).toBe(12000);
  });

  it('refuses bad names before pricing, even with mismatched prices', () => {
    expect(() =>
      quoteCertificateOrder({
        cn: 'example.com',
        sans: ['10.1.2.3'],
        ...prices,
        domainPrice: parseMoney('1', 'EUR'),
      }),
    ).toThrow(expect.objectContaining({ code: 'DOMAIN_PRIVATE_IP' }));
  });
});
