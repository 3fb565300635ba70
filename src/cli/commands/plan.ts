import type { Command } from 'commander';
import { parseCaHabit, CA_HABITS } from '../../domain/ca-habit.ts';
import { parseInstant } from '../../domain/parse-instant.ts';
import { planSubscription, type SubscriptionPlan } from '../../domain/plan-subscription.ts';
import { parseProductType, PRODUCT_TYPES } from '../../domain/product-type.ts';
import { parseBeforeDays, parseYears } from '../../domain/subscription-terms.ts';
import { formatUtcDate } from '../../domain/utc-date.ts';
import { requireOption as required, withOutput, type OutputOptions } from '../output.ts';

interface PlanOptions extends OutputOptions {
  type?: string;
  issued?: string;
  years?: string;
  before?: string;
  caHabit?: string;
  dcvAt?: string;
  siiAt?: string;
}

export interface PlanView {
  expirationDate: string;
  paidUntil: string;
  paidUntilAt: string;
  paidUntilShown: string | null;
  certificates: Array<{
    issuedAt: string;
    notAfter: string;
    expirationDate: string;
    reissueAt: string | null;
    triggerClampedToMidLife: boolean;
    needsDcv: boolean;
    needsSii: boolean;
    maxValidityDays: number;
  }>;
}

/**
 * `certbill plan`: every certificate generation of a subscription, with reissue triggers and the
 * validations each reissue needs.
 * @example certbill plan --type DV --issued 2026-04-02T12:00:00Z --years 5 --json
 *   → {"expirationDate":"2026-10-19","paidUntil":"2031-04-02","paidUntilShown":"2031-04-02","certificates":[…]}
 */
export function registerPlanCommand(program: Command): void {
  const command = program
    .command('plan')
    .description('Plan the certificates of a subscription: issue, expiry and reissue of each generation')
    .option('--type <type>', `product type: ${PRODUCT_TYPES.join(', ')}`)
    .option('--issued <instant>', 'first issue, ISO 8601 (e.g. 2026-04-02T12:00:00Z)')
    .option('--years <n>', 'paid period in years, 1 to 5')
    .option('--before <days>', 'days before expiration the reissue policy fires, 1 to 200', '10')
    .option('--ca-habit <habit>', `how long the CA makes certificates: ${CA_HABITS.join(', ')}`, 'cap')
    .option('--dcv-at <instant>', 'last domain validation (default: the first issue)')
    .option('--sii-at <instant>', 'last organization validation, OV/EV (default: the first issue)')
    .option('--json', 'print JSON');
  command.action(withOutput<PlanOptions, PlanView>(runPlan, renderPlan));
}

function runPlan(opts: PlanOptions): PlanView {
  const firstIssuedAt = parseInstant(
    required(opts.issued, '--issued', 'an ISO 8601 instant such as 2026-04-02T12:00:00Z'),
    'Issued',
  );
  const plan = planSubscription({
    productType: parseProductType(required(opts.type, '--type', PRODUCT_TYPES.join(', '))),
    firstIssuedAt,
    years: parseYears(required(opts.years, '--years', 'a whole number from 1 to 5')),
    beforeDays: parseBeforeDays(opts.before ?? '10'),
    caHabit: parseCaHabit(opts.caHabit ?? 'cap'),
    lastDcvAt: opts.dcvAt === undefined ? undefined : parseInstant(opts.dcvAt, 'DCV at'),
    lastSiiAt: opts.siiAt === undefined ? undefined : parseInstant(opts.siiAt, 'SII at'),
  });
  return toPlanView(plan);
}

function toPlanView(plan: SubscriptionPlan): PlanView {
  return {
    expirationDate: plan.expirationDate,
    paidUntil: formatUtcDate(plan.paidUntil),
    paidUntilAt: plan.paidUntil.toISOString(),
    paidUntilShown: plan.paidUntilShown,
    certificates: plan.certificates.map((c) => ({
      issuedAt: c.issuedAt.toISOString(),
      notAfter: c.notAfter.toISOString(),
      expirationDate: c.expirationDate,
      reissueAt: c.reissueAt?.toISOString() ?? null,
      triggerClampedToMidLife: c.triggerClampedToMidLife,
      needsDcv: c.needsDcv,
      needsSii: c.needsSii,
      maxValidityDays: c.limits.maxValidityDays,
    })),
  };
}

function renderPlan(view: PlanView): string {
  const header = ['#', 'issued at', 'not after', 'expires', 'reissue at', 'DCV', 'SII'];
  const rows = view.certificates.map((c, i) => [
    String(i + 1),
    c.issuedAt,
    c.notAfter,
    c.expirationDate,
    c.reissueAt === null ? '-' : `${c.reissueAt}${c.triggerClampedToMidLife ? ' (mid-life)' : ''}`,
    c.needsDcv ? 'fresh' : '-',
    c.needsSii ? 'fresh' : '-',
  ]);
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] as string).length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, col) => cell.padEnd(widths[col] as number))
      .join('  ')
      .trimEnd();
  return [
    `Expiration date: ${view.expirationDate}`,
    `Paid until:      ${view.paidUntilShown ?? '(not shown for one year)'}  [${view.paidUntilAt}]`,
    `Certificates:    ${view.certificates.length}`,
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}
