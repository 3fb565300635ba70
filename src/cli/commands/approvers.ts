import type { Command } from 'commander';
import { readId } from '../../billing/read-text.ts';
import { AppError } from '../../core/errors/index.ts';
import {
  listOrderApprovers,
  type OrderApprovers,
} from '../../provisioning/lifecycle/list-order-approvers.ts';
import { withOutput } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

/**
 * `certbill approvers`: the CA's approver addresses for e-mail validation, before ordering (for
 * `order --dcv email:<address>`) or for a service's pending order (for `service dcv --approver`).
 * @example certbill approvers --tariff 2 --cn example.com --json → {"moduleId":1,"approvers":[{"email":"admin@example.com",…}]}
 */
export function registerApproversCommand(program: Command): void {
  program
    .command('approvers')
    .description("List the CA's approver addresses for e-mail validation")
    .option('--tariff <id>', 'before ordering: the tariff plan')
    .option('--cn <name>', 'before ordering: the common name')
    .option('--san <names>', 'before ordering: additional names, comma-separated')
    .option('--service <id>', "a service's pending order instead")
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: { tariff?: string; cn?: string; san?: string; service?: string; json?: boolean }) => {
          if (opts.service) {
            const serviceId = readId(opts.service, 'service id');
            return withAppContext((ctx) => listOrderApprovers(ctx, { serviceId }));
          }
          if (!opts.tariff || !opts.cn) {
            throw new AppError('CORE_VALIDATION', 'Give --tariff and --cn, or --service.');
          }
          const tariffId = readId(opts.tariff, 'tariff id');
          const sans = (opts.san ?? '').split(',').filter((s) => s.trim() !== '');
          return withAppContext((ctx) => listOrderApprovers(ctx, { tariffId, commonName: opts.cn!, sans }));
        },
        (r: OrderApprovers) =>
          [
            `Approver addresses for ${r.commonName} (processing module ${r.moduleId}):`,
            ...r.approvers.map((a) => `  ${a.email}  ${a.type}`),
          ].join('\n'),
      ),
    );
}
