import fs from 'node:fs';
import type { Command } from 'commander';
import { placeCertificateOrder } from '../../billing/place-certificate-order.ts';
import { readId } from '../../billing/read-text.ts';
import { newIdempotencyKey } from '../../billing/run-idempotently.ts';
import { AppError } from '../../core/errors/index.ts';
import { formatMoney } from '../../core/money.ts';
import { parseYears } from '../../domain/index.ts';
import { withOutput } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

interface OrderOptions {
  client: string;
  tariff: string;
  years: string;
  cn: string;
  san?: string;
  csr?: string;
  generateKey?: boolean;
  saveKey: boolean;
  orgFile?: string;
  dcv?: string;
  idempotencyKey?: string;
  json?: boolean;
}

function readCsrFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError(
      'BILLING_INVALID_ORDER',
      `Cannot read the CSR file ${file}: ${(e as Error).message}.`,
      {
        field: 'csr',
      },
    );
  }
}

function readOrgFile(file: string): {
  organization?: Record<string, unknown>;
  extendedValidation?: Record<string, unknown>;
} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AppError(
      'BILLING_INVALID_ORDER',
      `Cannot read the organization file ${file}: ${(e as Error).message}.`,
      { field: 'organization' },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AppError(
      'BILLING_INVALID_ORDER',
      `The organization file ${file} must hold {"organization": {…}, "extendedValidation": {…}}.`,
      { field: 'organization' },
    );
  }
  const { organization, extendedValidation } = parsed as Record<string, Record<string, unknown> | undefined>;
  return {
    ...(organization === undefined ? {} : { organization }),
    ...(extendedValidation === undefined ? {} : { extendedValidation }),
  };
}

/** `certbill order`: order a certificate for a client, paid from its balance. */
export function registerOrderCommand(program: Command): void {
  program
    .command('order')
    .description("Order a certificate for a client, paid from the client's balance")
    .requiredOption('--client <id>', 'the client')
    .requiredOption('--tariff <id>', 'the tariff')
    .requiredOption('--years <n>', 'paid period, 1 to 5 years (one the tariff sells)')
    .requiredOption('--cn <name>', 'the common name')
    .option('--san <names>', 'additional names: a,b,…')
    .option('--csr <file>', 'a PEM CSR file (default: certbill generates key and CSR)')
    .option('--generate-key', 'certbill generates key and CSR (the default)')
    .option('--no-save-key', 'do not save the key: it is printed once now and certbill keeps no copy')
    .option(
      '--org-file <json>',
      'OV/EV: a JSON file {"organization": {…}, "extendedValidation": {…}} (extendedValidation for EV)',
    )
    .option('--dcv <method>', 'email[:<approver address>], http or dns (default email; ignored for OV/EV)')
    .option('--idempotency-key <key>', 'repeat with the same key to order once (default: a fresh key)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: OrderOptions) => {
          if (opts.csr && opts.generateKey) {
            throw new AppError('BILLING_INVALID_ORDER', 'Give either --csr or --generate-key, not both.', {
              field: 'csr',
            });
          }
          const input = {
            clientId: readId(opts.client, 'client id'),
            tariffId: readId(opts.tariff, 'tariff id'),
            years: parseYears(opts.years),
            cn: opts.cn,
            sans: (opts.san ?? '')
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== ''),
            csr: opts.csr ? readCsrFile(opts.csr) : null,
            generateKey: !opts.csr,
            saveKey: opts.saveKey,
            dcv: opts.dcv ?? null,
            ...(opts.orgFile ? readOrgFile(opts.orgFile) : {}),
            idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(),
          };
          const placed = await withAppContext((ctx) => placeCertificateOrder(ctx, input));
          return {
            serviceId: placed.serviceId,
            charged: placed.charged,
            commonName: placed.commonName,
            names: placed.names,
            lines: placed.lines,
            replayed: placed.replayed,
            ...(placed.privateKeyPem ? { privateKeyPem: placed.privateKeyPem } : {}),
          };
        },
        (r) =>
          [
            `Service ${r.serviceId} ${r.replayed ? 'was already ordered' : 'ordered'} for ${r.commonName}: charged ${formatMoney(r.charged)} ${r.charged.currency}.`,
            ...r.lines.map((l) => `  ${l.description}: ${formatMoney(l.amount)} ${l.amount.currency}`),
            ...(r.privateKeyPem
              ? ['The private key, shown only now (certbill keeps no copy):', r.privateKeyPem.trimEnd()]
              : []),
          ].join('\n'),
      ),
    );
}
