import fs from 'node:fs';
import type { Command } from 'commander';
import { readId } from '../../billing/read-text.ts';
import { AppError } from '../../core/errors/index.ts';
import { deliverCertificate } from '../../provisioning/delivery/deliver-certificate.ts';
import { runDcvAction } from '../../provisioning/lifecycle/run-dcv-action.ts';
import type { PollCaOrderResult } from '../../provisioning/lifecycle/poll-ca-order.ts';
import {
  switchValidationMethod,
  type SwitchValidationMethodResult,
} from '../../provisioning/lifecycle/switch-validation-method.ts';
import { DCV_METHODS, type DcvMethod } from '../../provisioning/processing-module.ts';
import { withOutput } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

function readMethod(text: string): DcvMethod {
  const method = DCV_METHODS.find((m) => m === text);
  if (!method) throw new AppError('CORE_VALIDATION', `--method must be one of ${DCV_METHODS.join(', ')}.`);
  return method;
}

type DcvCommandResult = PollCaOrderResult | SwitchValidationMethodResult;

/**
 * `certbill service dcv|download`, added under the `service` command.
 * @example registerServiceCertificateCommands(program.commands.find((c) => c.name() === 'service')!)
 */
export function registerServiceCertificateCommands(serviceCommand: Command): void {
  serviceCommand
    .command('dcv')
    .description(
      'Act on the pending domain validation: check now, resend the e-mail, change approver or method',
    )
    .argument('<serviceId>', 'the service')
    .argument('[action]', '"switch": another validation method (with --method, and --approver for e-mail)')
    .option('--check', 'ask the CA to check the HTTP file or DNS record now (or read the e-mail approval)')
    .option('--resend', 'send the approval e-mail again')
    .option('--approver <email>', 'send the approval to another address of the CA’s list')
    .option(
      '--method <method>',
      'switch to http, dns or email validation (cancels the pending order and orders again)',
    )
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (
          opts: { check?: boolean; resend?: boolean; approver?: string; method?: string; json?: boolean },
          id: string,
          action: string | undefined,
        ): Promise<DcvCommandResult> => {
          const serviceId = readId(id, 'service id');
          if (action !== undefined && action !== 'switch') {
            throw new AppError(
              'CORE_VALIDATION',
              `Unknown dcv action "${action}"; the only one is "switch".`,
            );
          }
          if (action === 'switch' || opts.method) {
            if (!opts.method) {
              throw new AppError('CORE_VALIDATION', 'dcv switch needs --method email|http|dns.');
            }
            const method = readMethod(opts.method);
            return withAppContext((ctx) =>
              switchValidationMethod(ctx, {
                serviceId,
                method,
                ...(opts.approver ? { approverEmail: opts.approver } : {}),
              }),
            );
          }
          return withAppContext((ctx) =>
            runDcvAction(ctx, {
              serviceId,
              ...(opts.check ? { check: true } : {}),
              ...(opts.resend ? { resend: true } : {}),
              ...(opts.approver ? { approverEmail: opts.approver } : {}),
            }),
          );
        },
        (r) => {
          if ('how' in r) return r.message;
          return r.outcome === 'issued' ? `Issued; expires ${r.notAfter}.` : `Order is ${r.outcome}.`;
        },
      ),
    );

  serviceCommand
    .command('download')
    .description('Write the current certificate: pem, chain, fullchain, p7b, p12 (with the key) or zip')
    .argument('<serviceId>', 'the service')
    .requiredOption('--format <format>', 'pem, chain, fullchain, p7b, p12, zip')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--password <password>', 'password of the PKCS#12 file (p12, and zip to include it)')
    .option('--json', 'machine-readable output (with --out)')
    .action(
      withOutput(
        async (opts: { format: string; out?: string; password?: string; json?: boolean }, id: string) => {
          const file = await withAppContext((ctx) =>
            deliverCertificate(ctx, {
              serviceId: readId(id, 'service id'),
              format: opts.format,
              ...(opts.password !== undefined ? { password: opts.password } : {}),
            }),
          );
          if (opts.out) {
            fs.writeFileSync(opts.out, file.body, { mode: 0o600 });
            return { file: opts.out, fileName: file.fileName, bytes: file.body.length };
          }
          process.stdout.write(file.body);
          return undefined;
        },
        (r) => (r ? `Wrote ${r.file} (${r.bytes} bytes).` : ''),
      ),
    );
}
