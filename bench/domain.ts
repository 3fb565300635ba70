import { performance } from 'node:perf_hooks';
import { parseMoney } from '../src/core/money.ts';
import { planSubscription } from '../src/domain/plan-subscription.ts';
import { quoteCertificateOrder } from '../src/domain/quote-certificate-order.ts';

interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const WARM_UP = 2_000;
const ITERATIONS = 20_000;

function measure(name: string, note: string, run: (i: number) => unknown): BenchResult[] {
  for (let i = 0; i < WARM_UP; i++) run(i);
  const start = performance.now();
  for (let i = 0; i < ITERATIONS; i++) run(i);
  const microsPerCall = ((performance.now() - start) * 1_000) / ITERATIONS;
  return [
    { name: `${name} µs/call`, value: Number(microsPerCall.toFixed(2)), unit: 'µs', note },
    { name: `${name} calls/s`, value: Math.round(1_000_000 / microsPerCall), unit: 'calls/s', note },
  ];
}

/**
 * In-process cost of the pure domain rules: a 5-year plan (about 30 certificates across the 2027
 * and 2029 steps) and a quote of 100 names (UC SANs, subdomains, IDNs, IPs, wildcards).
 */
export default async function bench(): Promise<BenchResult[]> {
  const firstIssuedAt = new Date('2026-04-02T12:00:00Z');
  const plan = measure('domain.plan 5y OV', `${ITERATIONS} iterations after ${WARM_UP} warm-up`, (i) =>
    planSubscription({
      productType: 'OV',
      firstIssuedAt: new Date(firstIssuedAt.getTime() + i * 1_000),
      years: 5,
    }),
  );

  const sans = Array.from({ length: 100 }, (_, i) => {
    if (i < 4)
      return ['WWW.example.com', 'mail.example.com', 'owa.example.com.', 'autodiscover.example.com'][
        i
      ] as string;
    if (i % 10 === 0) return `bücher${i}.example.de`;
    if (i % 10 === 1) return `8.8.4.${i}`;
    if (i % 10 === 2) return `*.zone${i}.example.net`;
    return `host${i}.Example.com`;
  });
  const prices = {
    years: 5,
    basePrice: parseMoney('100.00', 'USD'),
    ucSanPrice: parseMoney('0.00', 'USD'),
    domainPrice: parseMoney('20.00', 'USD'),
  };
  const quote = measure('domain.quote 100 names', `${ITERATIONS} iterations after ${WARM_UP} warm-up`, () =>
    quoteCertificateOrder({ cn: 'example.com', sans, ...prices }),
  );
  return [...plan, ...quote];
}
