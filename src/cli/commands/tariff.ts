import type { Command } from 'commander';
import { addTariff, parsePeriodPrices, setTariffActive, type AddonInput } from '../../billing/add-tariff.ts';
import { readId } from '../../billing/read-text.ts';
import { getTariff, listTariffs, type Tariff } from '../../billing/tariff-repository.ts';
import { formatMoney } from '../../core/money.ts';
import { withOutput } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

interface TariffAddOptions {
  name: string;
  product: string;
  wildcard?: boolean;
  currency: string;
  price: string;
  ucSanPrice?: string;
  ucSanIncluded?: string;
  domainPrice?: string;
  domainIncluded?: string;
  module?: string;
  inactive?: boolean;
  json?: boolean;
}

/** `5.00` (every period) or `1y=5.00,2y=9.00` (per period). */
function readAddon(price: string | undefined, included: string | undefined): AddonInput | null {
  if (price === undefined) return null;
  const includedCount = included === undefined ? undefined : Number(included);
  return { price: price.includes('=') ? parsePeriodPrices(price) : price, includedCount };
}

function describeTariff(t: Tariff): string {
  const prices = t.prices.map((p) => `${p.years}y ${formatMoney(p.price)}`).join(', ');
  const addons = t.addons
    .map(
      (a) =>
        `${a.label}: ${a.prices.map((p) => `${p.years}y ${formatMoney(p.price)}`).join(', ')}${a.includedCount ? ` (${a.includedCount} included)` : ''}`,
    )
    .join('; ');
  return `${t.id}\t${t.name}\t${t.title}\t${t.currency}\t${prices}${addons ? `\t${addons}` : ''}${t.active ? '' : '\t(inactive)'}`;
}

/** `certbill tariff add|list|show|activate|deactivate`. */
export function registerTariffCommands(program: Command): void {
  const tariff = program.command('tariff').description('Certificate tariffs with their prices and addons');

  tariff
    .command('add')
    .description('Create a certificate tariff')
    .requiredOption('--name <name>', 'tariff name shown to clients')
    .requiredOption(
      '--product <code>',
      'DV_LOW (AlphaSSL), DV (DomainSSL), OV (OrganizationSSL) or EV (ExtendedSSL)',
    )
    .option('--wildcard', 'the wildcard variant (not for EV)')
    .requiredOption('--currency <code>', 'currency of every price')
    .requiredOption('--price <prices>', 'price per period: 1y=30.00[,2y=55.00…]')
    .option(
      '--uc-san-price <amount>',
      'Additional UC SANs domains: price per name for every period, or 1y=…,2y=…',
    )
    .option('--uc-san-included <n>', 'UC SAN names the price includes')
    .option('--domain-price <amount>', 'Additional domains: price per name for every period, or 1y=…,2y=…')
    .option('--domain-included <n>', 'additional domains the price includes')
    .option('--module <ids>', 'processing module ids, first tried first: 1[,2…]')
    .option('--inactive', 'create it inactive (sells nothing yet)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: TariffAddOptions) => {
          const moduleIds = opts.module
            ? opts.module
                .split(',')
                .filter((s) => s.trim() !== '')
                .map((s) => readId(s, 'module id'))
            : [];
          return withAppContext((ctx) =>
            addTariff(ctx, {
              name: opts.name,
              product: opts.product,
              wildcard: Boolean(opts.wildcard),
              currency: opts.currency,
              prices: parsePeriodPrices(opts.price),
              ucSanAddon: readAddon(opts.ucSanPrice, opts.ucSanIncluded),
              domainAddon: readAddon(opts.domainPrice, opts.domainIncluded),
              moduleIds,
              active: !opts.inactive,
            }),
          );
        },
        (t) => `Tariff ${t.id} created: ${describeTariff(t)}`,
      ),
    );

  tariff
    .command('list')
    .description('List tariffs')
    .option('--active', 'only the active ones')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: { active?: boolean; json?: boolean }) => ({
          tariffs: await withAppContext((ctx) =>
            listTariffs(ctx.db.kysely, { activeOnly: Boolean(opts.active) }),
          ),
        }),
        (r) => (r.tariffs.length ? r.tariffs.map(describeTariff).join('\n') : 'No tariffs.'),
      ),
    );

  tariff
    .command('show')
    .description('Show a tariff')
    .argument('<tariffId>', 'the tariff')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (_opts: object, id: string) =>
          withAppContext((ctx) => getTariff(ctx.db.kysely, readId(id, 'tariff id'))),
        describeTariff,
      ),
    );

  for (const [name, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    tariff
      .command(name)
      .description(active ? 'Sell a tariff again' : 'Stop selling a tariff (its services go on)')
      .argument('<tariffId>', 'the tariff')
      .option('--json', 'machine-readable output')
      .action(
        withOutput(
          async (_opts: object, id: string) =>
            withAppContext((ctx) => setTariffActive(ctx, readId(id, 'tariff id'), active)),
          (t) => `Tariff ${t.id} is ${t.active ? 'active' : 'inactive'}.`,
        ),
      );
  }
}
