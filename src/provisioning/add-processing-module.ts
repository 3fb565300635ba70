import { AppError } from '../core/errors/index.ts';
import { parseMoney, type Money } from '../core/money.ts';
import { runConnectionCheck } from './check-processing-module.ts';
import type { ModuleSettings } from './module-registry.ts';
import {
  getProcessingModule,
  isUniqueViolation,
  passwordAad,
  provisioningKysely,
  type ProcessingModuleView,
} from './module-repository.ts';
import { endpointOf, timeoutsOf } from './open-processing-module.ts';
import type { ConnectionCheck } from './processing-module.ts';
import type { ProvisioningContext } from './provisioning-context.ts';
import {
  readField,
  readMinBalance,
  readPassword,
  readSort,
  readTimeoutSeconds,
  readSourceAddress,
  readUrl,
  resolveDepartment,
} from './read-module-fields.ts';
import type { Database } from '../db/database.ts';

/**
 * The wizard's answers: product type and module, integration settings (Username, Password, Demo,
 * IP address), module parameters (Name, Department, Sort, Processing module minimal balance).
 * `url` overrides where Demo points; `sourceAddress` is one of this host's addresses or `none`.
 */
export interface AddProcessingModuleInput {
  /** Only `ssl` (SSL certificates); the default. */
  readonly productType?: string;
  readonly kind: string;
  readonly username: string;
  readonly password: string;
  readonly demo?: boolean;
  readonly url?: string | null;
  readonly sourceAddress?: string | null;
  readonly name: string;
  /** A department's id or name. */
  readonly department?: string | number | null;
  readonly sort?: number | string | null;
  /** A decimal in the CA account's currency, e.g. `500.00`. */
  readonly minBalance?: string | null;
  /** Seconds to connect to the CA (1..300); default 10. Used by jobs and by the connection check. */
  readonly connectTimeout?: number | string | null;
  /** Seconds to wait for the CA's whole answer (1..600); default 60. */
  readonly readTimeout?: number | string | null;
}

export interface AddedProcessingModule {
  readonly module: ProcessingModuleView;
  readonly check: ConnectionCheck;
}

function minimumIn(amount: string | null, check: ConnectionCheck): Money | null {
  if (amount === null) return null;
  const currency = check.balance?.currency;
  if (!currency) {
    throw new AppError(
      'PROVISIONING_INVALID_SETTINGS',
      "The CA did not tell its account's currency, so a minimal balance cannot be set; leave it empty.",
      { field: 'minBalance' },
    );
  }
  try {
    return parseMoney(amount, currency);
  } catch {
    throw new AppError(
      'PROVISIONING_INVALID_SETTINGS',
      `Processing module minimal balance "${amount}" is not a valid ${currency} amount (the CA account's currency).`,
      { field: 'minBalance' },
    );
  }
}

export async function assertNameFree(db: Database, name: string, exceptId?: number): Promise<void> {
  let q = provisioningKysely(db.kysely)
    .selectFrom('processing_modules')
    .select('id')
    .where('name', '=', name);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw nameTaken(name);
}

function nameTaken(name: string): AppError {
  return new AppError(
    'PROVISIONING_MODULE_NAME_TAKEN',
    `A processing module named "${name}" exists; pick another name.`,
    {
      field: 'name',
      name,
    },
  );
}

/**
 * The processing module wizard's last step: validates every field, checks the connection with
 * those settings, and only then saves the module (password sealed, balance kept). Nothing is saved
 * when a field is wrong or the check fails (PROVISIONING_CONNECTION_FAILED, "Cannot connect to the
 * processing module", with hints and the cause).
 *
 * @example
 *   await addProcessingModule(ctx, { kind: 'globalsign', username: 'PAR12345_api', password, demo: true,
 *     sourceAddress: 'none', name: 'GlobalSign demo', department: 'SSL', sort: 1, minBalance: '500.00' });
 *   // → { module: { id: 1, name: 'GlobalSign demo', balance: { amountMinor: 100000, currency: 'USD' }, … }, check: { balance } }
 */
export async function addProcessingModule(
  ctx: ProvisioningContext,
  input: AddProcessingModuleInput,
): Promise<AddedProcessingModule> {
  const productType = (input.productType ?? 'ssl').trim();
  const kind = ctx.modules.get(readField(input.kind, 'kind', 'Processing module'));
  if (productType !== kind.productType) {
    throw new AppError(
      'PROVISIONING_INVALID_SETTINGS',
      `Product type "${productType}" is not served by ${kind.title}; choose "${kind.productType}" (SSL certificates).`,
      { field: 'productType' },
    );
  }
  const username = readField(input.username, 'username', 'Username');
  const password = readPassword(input.password);
  const demo = input.demo ?? false;
  const url = readUrl(input.url);
  const sourceAddress = readSourceAddress(input.sourceAddress, ctx.provisioningSettings);
  const name = readField(input.name, 'name', 'Name', 100);
  const departmentId = await resolveDepartment(ctx.db, input.department);
  const sort = readSort(input.sort);
  const minBalance = readMinBalance(input.minBalance);
  const connectTimeout = readTimeoutSeconds(input.connectTimeout, 'connectTimeout', 'Connect timeout', 300);
  const readTimeout = readTimeoutSeconds(input.readTimeout, 'readTimeout', 'Read timeout', 600);
  await assertNameFree(ctx.db, name);
  const timeouts = timeoutsOf({ connect_timeout_s: connectTimeout, read_timeout_s: readTimeout });

  const settings: ModuleSettings = {
    username,
    password,
    baseUrl: endpointOf(kind, { demo, url }, ctx.provisioningSettings),
    ...(sourceAddress ? { sourceAddress } : {}),
    ...(timeouts ? { timeouts } : {}),
  };
  const check = await runConnectionCheck(ctx, kind.kind, settings);
  const minimum = minimumIn(minBalance, check);
  const now = ctx.clock.now().toISOString();

  let id: number;
  try {
    id = await ctx.db.kysely.transaction().execute(async (trx) => {
      const k = provisioningKysely(trx);
      const row = await k
        .insertInto('processing_modules')
        .values({
          kind: kind.kind,
          product_type: kind.productType,
          name,
          username,
          // Sealed below under the row's own id, which exists only once the row does.
          password_sealed: '',
          demo: demo ? 1 : 0,
          url,
          source_address: sourceAddress,
          department_id: departmentId,
          sort,
          min_balance_minor: minimum?.amountMinor ?? null,
          min_balance_currency: minimum?.currency ?? null,
          enabled: 1,
          balance_minor: check.balance?.amountMinor ?? null,
          balance_currency: check.balance?.currency ?? null,
          balance_read_at: check.balance?.readAt ?? null,
          // Not yet signalled: the first balance refresh reports a module that starts below its minimum.
          balance_below_minimum: 0,
          last_check_at: now,
          connect_timeout_s: connectTimeout,
          read_timeout_s: readTimeout,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const newId = Number(row.id);
      await k
        .updateTable('processing_modules')
        .set({ password_sealed: ctx.secrets.seal(password, passwordAad(newId)) })
        .where('id', '=', newId)
        .execute();
      return newId;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(name);
    throw e;
  }
  return { module: await getProcessingModule(ctx, id), check };
}
