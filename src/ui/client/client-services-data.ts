import type { Kysely } from 'kysely';
import { toLedgerEntry, type LedgerEntry } from '../../billing/account-repository.ts';
import { certificateProduct, productTitle } from '../../billing/certificate-products.ts';
import type { Database } from '../../db/schema.ts';
import { formatUtcDate, paidUntilShown } from '../../domain/index.ts';
import { lifecycleKysely } from '../../provisioning/lifecycle/lifecycle-context.ts';
import { rowLimit } from '../../db/row-limit.ts';

/** Rows per page of the client area's lists. */
export const PAGE_SIZE = 50;

/** A page of a list: its rows and whether another page follows. */
export interface Page<T> {
  readonly rows: readonly T[];
  readonly page: number;
  readonly hasNext: boolean;
}

/** One line of My services. */
export interface ServiceListRow {
  readonly id: number;
  readonly commonName: string;
  readonly product: string;
  readonly status: string;
  readonly expirationDate: string | null;
  /** Empty for a one-year purchase (the certificate's own end is the paid end). */
  readonly paidUntil: string | null;
  readonly nextReissueAt: string | null;
  /** The CA waits for the client: approve the e-mail, publish the file or the record. */
  readonly actionNeeded: boolean;
}

/** Reads `?page=` (1 when absent or not a positive whole number). */
export function pageOf(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.['page'];
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/**
 * One page of a client's services, newest first: one query over the `services_client` index
 * (client_id, id) and one over the generations of those services (at most PAGE_SIZE).
 */
export async function readClientServices(
  db: Kysely<Database>,
  clientId: number,
  page: number,
): Promise<Page<ServiceListRow>> {
  const rows = await db
    .selectFrom('services')
    .select(['id', 'common_name', 'product', 'wildcard', 'status', 'paid_until', 'period_years'])
    .where('client_id', '=', clientId)
    .orderBy('id', 'desc')
    .limit(rowLimit(PAGE_SIZE + 1))
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  const shown = rows.slice(0, PAGE_SIZE);
  const ids = shown.map((r) => r.id);
  const generations =
    ids.length === 0
      ? []
      : await lifecycleKysely(db)
          .selectFrom('certificate_generations')
          .select(['service_id', 'seq', 'state', 'not_after', 'reissue_at'])
          .where('service_id', 'in', ids)
          .orderBy('seq')
          .execute();
  return {
    page,
    hasNext: rows.length > PAGE_SIZE,
    rows: shown.map((r) => {
      const own = generations.filter((g) => Number(g.service_id) === r.id);
      const issued = own.filter((g) => g.state === 'issued').at(-1);
      const last = own.at(-1);
      return {
        id: r.id,
        commonName: r.common_name,
        product: titleOf(r.product, r.wildcard === 1),
        status: r.status,
        expirationDate: issued?.not_after ? formatUtcDate(new Date(issued.not_after)) : null,
        paidUntil: r.paid_until ? paidUntilShown(new Date(r.paid_until), r.period_years) : null,
        nextReissueAt: issued?.reissue_at ?? null,
        actionNeeded: last?.state === 'awaiting_validation',
      };
    }),
  };
}

/**
 * One page of a client's ledger entries, newest first, over the `ledger_entries_account` index
 * (account_id, id).
 */
export async function readLedgerPage(
  db: Kysely<Database>,
  accountId: number,
  page: number,
): Promise<Page<LedgerEntry>> {
  const rows = await db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(rowLimit(PAGE_SIZE + 1))
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return { page, hasNext: rows.length > PAGE_SIZE, rows: rows.slice(0, PAGE_SIZE).map(toLedgerEntry) };
}

function titleOf(code: string, wildcard: boolean): string {
  try {
    return productTitle(certificateProduct(code), wildcard);
  } catch {
    return code;
  }
}
