import type { Command } from 'commander';
import { AppError } from '../../core/errors/index.ts';
import { PRODUCT_FAMILIES, type ProductFamily } from '../../provisioning/processing-module.ts';
import { reissueNow, type ReissueNowEntry, type ReissueNowInput } from '../../subscriptions/reissue-now.ts';
import { withOutput, type OutputOptions } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

interface ReissueNowOptions extends OutputOptions {
  service?: string;
  allActive?: boolean;
  module?: string;
  product?: string;
  dryRun?: boolean;
}

/**
 * `certbill reissue now --service <id>[,…] | --all-active [--module <id>] [--product DV|…] [--dry-run] [--json]`
 * @example certbill reissue now --all-active --module 1 --dry-run --json
 *   → {"services":[{"serviceId":7,"commonName":"example.com","action":"would-reissue","seq":3,…}]}
 */
export function registerReissueCommands(program: Command): void {
  const reissue = program.command('reissue').description('Reissue subscription certificates');
  reissue
    .command('now')
    .description('Reissue the current certificate of a set of services now (one reissue per service)')
    .option('--service <ids>', 'service ids, comma-separated')
    .option('--all-active', 'every active service (narrow with --module and --product)')
    .option('--module <id>', 'only certificates whose CA order is on this processing module')
    .option('--product <product>', `only this product: ${PRODUCT_FAMILIES.join(', ')}`)
    .option('--dry-run', 'list what would be reissued, decide nothing')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: ReissueNowOptions) => {
          const input = readInput(opts);
          return withAppContext((ctx) => reissueNow(ctx, input));
        },
        (r: { services: ReissueNowEntry[] }) => renderServices(r.services),
      ),
    );
}

function readInput(opts: ReissueNowOptions): ReissueNowInput {
  const serviceIds =
    opts.service === undefined ? undefined : opts.service.split(',').map((s) => readId('--service', s));
  const product = opts.product === undefined ? undefined : readProduct(opts.product);
  return {
    ...(serviceIds ? { serviceIds } : {}),
    ...(opts.allActive ? { allActive: true } : {}),
    ...(opts.module === undefined ? {} : { moduleId: readId('--module', opts.module) }),
    ...(product ? { product } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
  };
}

function readId(flag: string, raw: string): number {
  const text = raw.trim();
  if (!/^[1-9]\d*$/.test(text)) {
    throw new AppError(
      'CORE_VALIDATION',
      `${flag} ${raw} is not an id: use whole numbers ≥ 1, comma-separated.`,
      {
        option: flag,
      },
    );
  }
  return Number(text);
}

function readProduct(raw: string): ProductFamily {
  const product = PRODUCT_FAMILIES.find((p) => p === raw.trim().toUpperCase());
  if (!product) {
    throw new AppError(
      'CORE_VALIDATION',
      `--product ${raw} is not known; allowed: ${PRODUCT_FAMILIES.join(', ')}.`,
      {
        option: '--product',
      },
    );
  }
  return product;
}

function renderServices(services: readonly ReissueNowEntry[]): string {
  if (services.length === 0) return 'No service matches.';
  return services
    .map((s) => {
      const name = `service ${s.serviceId}${s.commonName ? ` (${s.commonName})` : ''}`;
      if (s.action === 'skipped') return `${name}: skipped, ${s.reason ?? ''}`;
      return `${name}: ${s.action === 'reissue' ? 'reissue decided' : 'would be reissued'} as generation ${s.seq}`;
    })
    .join('\n');
}
