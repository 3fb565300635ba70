import fs from 'node:fs';
import type { Command } from 'commander';
import { cancelService } from '../../billing/cancel-service.ts';
import { readId } from '../../billing/read-text.ts';
import { renewService } from '../../billing/renew-service.ts';
import { newIdempotencyKey } from '../../billing/run-idempotently.ts';
import {
  getService,
  listServices,
  SERVICE_STATUSES,
  viewService,
  type ServiceStatus,
  type ServiceView,
} from '../../billing/service-repository.ts';
import { AppError } from '../../core/errors/index.ts';
import { formatMoney } from '../../core/money.ts';
import { parseYears } from '../../domain/index.ts';
import { requestClientReissue } from '../../subscriptions/request-client-reissue.ts';
import { withOutput } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

function describeService(s: ServiceView): string {
  const names = s.names.length ? ` + ${s.names.map((n) => n.name).join(', ')}` : '';
  return [
    `Service ${s.id} (${s.kind}) — ${s.status}`,
    `  ${s.product}${s.wildcard ? ' wildcard' : ''}, ${s.years} year(s): ${s.commonName}${names}`,
    `  Paid ${formatMoney(s.price.total)} ${s.price.total.currency}`,
    `  Expiration date: ${s.expirationDate ?? '—'}`,
    `  Paid until: ${s.paidUntilShown ?? '—'}`,
    ...(s.nextReissueAt ? [`  Next reissue: ${s.nextReissueAt}`] : []),
    ...(s.clientMustAct ? ['  Action needed: complete the domain validation (service dcv shows how)'] : []),
    ...(s.keySaved ? [] : ['  Private key: not kept by certbill (Do not save the key)']),
  ].join('\n');
}

function readStatus(text: string): ServiceStatus {
  const status = SERVICE_STATUSES.find((s) => s === text);
  if (!status) {
    throw new AppError('CORE_VALIDATION', `Status "${text}" is not one of ${SERVICE_STATUSES.join(', ')}.`);
  }
  return status;
}

/** `certbill service list|show|cancel|renew|reissue`. */
export function registerServiceCommands(program: Command): void {
  const service = program.command('service').description('Services: the paid certificate terms');

  service
    .command('list')
    .description('List services, newest first')
    .option('--client <id>', 'only this client')
    .option('--status <status>', SERVICE_STATUSES.join(', '))
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: { client?: string; status?: string; json?: boolean }) => {
          const filter = {
            clientId: opts.client === undefined ? undefined : readId(opts.client, 'client id'),
            status: opts.status === undefined ? undefined : readStatus(opts.status),
          };
          const services = await withAppContext((ctx) => listServices(ctx.db.kysely, filter));
          return { services: services.map(viewService) };
        },
        (r) =>
          r.services.length
            ? r.services
                .map(
                  (s) =>
                    `${s.id}\t${s.status}\t${s.commonName}\t${s.years}y\tclient ${s.clientId}\tpaid until ${s.paidUntil ?? '—'}`,
                )
                .join('\n')
            : 'No services.',
      ),
    );

  service
    .command('show')
    .description('Show a service: status, Expiration date, Paid until, names, price paid')
    .argument('<serviceId>', 'the service')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (_opts: object, id: string) =>
          viewService(await withAppContext((ctx) => getService(ctx.db.kysely, readId(id, 'service id')))),
        describeService,
      ),
    );

  service
    .command('cancel')
    .description('Cancel with a full refund (not issued and ordered ≤ 30 days ago, or issued ≤ 6 days ago)')
    .argument('<serviceId>', 'the service')
    .option('--idempotency-key <key>', 'repeat with the same key to refund once (default: a fresh key)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: { idempotencyKey?: string; json?: boolean }, id: string) =>
          withAppContext((ctx) =>
            cancelService(ctx, {
              serviceId: readId(id, 'service id'),
              idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(),
            }),
          ),
        (r) =>
          `Service ${r.serviceId} cancelled; refunded ${formatMoney(r.refunded)} ${r.refunded.currency}.`,
      ),
    );

  service
    .command('renew')
    .description('Buy the next paid period at the current tariff price')
    .argument('<serviceId>', 'the service')
    .option('--years <n>', 'length of the new period (default: the same)')
    .option('--idempotency-key <key>', 'repeat with the same key to renew once (default: a fresh key)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: { years?: string; idempotencyKey?: string; json?: boolean }, id: string) =>
          withAppContext((ctx) =>
            renewService(ctx, {
              serviceId: readId(id, 'service id'),
              years: opts.years === undefined ? undefined : parseYears(opts.years),
              idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(),
            }),
          ),
        (r) =>
          `Service ${r.previousServiceId} renewed as service ${r.serviceId}; charged ${formatMoney(r.charged)} ${r.charged.currency}.`,
      ),
    );

  service
    .command('reissue')
    .description('Reissue the certificate in use now with a new key (or --csr), free, never past paid until')
    .argument('<serviceId>', 'the service (Active, no certificate on its way)')
    .option('--csr <file>', "a new PEM CSR (same CN, names within the service's); default: a new key")
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: { csr?: string; json?: boolean }, id: string) => {
          const csr = opts.csr === undefined ? null : readReissueCsr(opts.csr);
          return withAppContext((ctx) =>
            requestClientReissue(ctx, { serviceId: readId(id, 'service id'), csr }),
          );
        },
        (r) =>
          [
            `${r.message} (service ${r.serviceId}, generation ${r.seq}; the reissue job places it)`,
            ...(r.privateKeyPem
              ? [
                  'The new private key (Do not save the key: certbill keeps no copy):',
                  r.privateKeyPem.trimEnd(),
                ]
              : []),
          ].join('\n'),
      ),
    );
}

function readReissueCsr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('CORE_VALIDATION', `Cannot read the CSR file ${file}: ${(e as Error).message}.`, {
      field: 'csr',
    });
  }
}
