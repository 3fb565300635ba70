import { AppError } from '../core/errors/index.ts';
import { parseMoney } from '../core/money.ts';
import type { Updateable } from 'kysely';
import type { ProcessingModulesTable } from '../db/schema-provisioning.ts';
import { assertNameFree } from './add-processing-module.ts';
import { runConnectionCheck } from './check-processing-module.ts';
import {
  findModuleRow,
  getProcessingModule,
  isUniqueViolation,
  passwordAad,
  provisioningKysely,
  type ProcessingModuleView,
} from './module-repository.ts';
import { endpointOf, timeoutsOf } from './open-processing-module.ts';
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

/** The fields to change; absent fields stay. `null` clears url, IP address, department, minimal balance. */
export interface UpdateProcessingModuleInput {
  readonly name?: string;
  readonly username?: string;
  readonly password?: string;
  readonly demo?: boolean;
  readonly url?: string | null;
  readonly sourceAddress?: string | null;
  readonly department?: string | number | null;
  readonly sort?: number | string;
  readonly minBalance?: string | null;
  readonly enabled?: boolean;
  /** Seconds (1..300); null or '' = the default (10). Saved at once. */
  readonly connectTimeout?: number | string | null;
  /** Seconds (1..600); null or '' = the default (60). Saved at once. */
  readonly readTimeout?: number | string | null;
}

export interface UpdatedProcessingModule {
  readonly module: ProcessingModuleView;
  /** Whether the connection was checked again (credentials, Demo, URL or IP address changed). */
  readonly rechecked: boolean;
}

/**
 * Edits a processing module. A change to what reaches the CA (username, password, Demo, URL, IP
 * address) is checked first with the new settings and saved only if the check passes; names,
 * department, sort, minimal balance and enabled/disabled are saved at once.
 *
 * @example await updateProcessingModule(ctx, 1, { enabled: false }) → { module: { id: 1, enabled: false, … }, rechecked: false }
 */
export async function updateProcessingModule(
  ctx: ProvisioningContext,
  moduleId: number,
  input: UpdateProcessingModuleInput,
): Promise<UpdatedProcessingModule> {
  const row = await findModuleRow(ctx.db, moduleId);
  const kind = ctx.modules.get(row.kind);
  const set: Updateable<ProcessingModulesTable> = {};

  if (input.name !== undefined) {
    const name = readField(input.name, 'name', 'Name', 100);
    await assertNameFree(ctx.db, name, moduleId);
    set.name = name;
  }
  if (input.department !== undefined) set.department_id = await resolveDepartment(ctx.db, input.department);
  if (input.sort !== undefined) set.sort = readSort(input.sort);
  if (input.enabled !== undefined) set.enabled = input.enabled ? 1 : 0;
  if (input.connectTimeout !== undefined) {
    set.connect_timeout_s = readTimeoutSeconds(
      input.connectTimeout,
      'connectTimeout',
      'Connect timeout',
      300,
    );
  }
  if (input.readTimeout !== undefined) {
    set.read_timeout_s = readTimeoutSeconds(input.readTimeout, 'readTimeout', 'Read timeout', 600);
  }

  const username =
    input.username !== undefined ? readField(input.username, 'username', 'Username') : row.username;
  const password = input.password !== undefined ? readPassword(input.password) : undefined;
  const demo = input.demo ?? row.demo === 1;
  const url = input.url !== undefined ? readUrl(input.url) : row.url;
  const sourceAddress =
    input.sourceAddress !== undefined
      ? readSourceAddress(input.sourceAddress, ctx.provisioningSettings)
      : row.source_address;
  const reach =
    username !== row.username ||
    password !== undefined ||
    demo !== (row.demo === 1) ||
    url !== row.url ||
    sourceAddress !== row.source_address;

  let currency = row.balance_currency;
  const now = ctx.clock.now().toISOString();
  if (reach) {
    const check = await runConnectionCheck(ctx, kind.kind, {
      username,
      password: password ?? ctx.secrets.open(row.password_sealed, passwordAad(moduleId)),
      baseUrl: endpointOf(kind, { demo, url }, ctx.provisioningSettings),
      ...(sourceAddress ? { sourceAddress } : {}),
      ...withTimeouts({ ...row, ...set }),
    });
    Object.assign(set, {
      username,
      demo: demo ? 1 : 0,
      url,
      source_address: sourceAddress,
      last_check_at: now,
      ...(password !== undefined
        ? { password_sealed: ctx.secrets.seal(password, passwordAad(moduleId)) }
        : {}),
      ...(check.balance
        ? {
            balance_minor: check.balance.amountMinor,
            balance_currency: check.balance.currency,
            balance_read_at: check.balance.readAt,
          }
        : {}),
    });
    currency = check.balance?.currency ?? currency;
  }
  if (input.minBalance !== undefined) {
    const amount = readMinBalance(input.minBalance);
    if (amount === null) {
      set.min_balance_minor = null;
      set.min_balance_currency = null;
    } else {
      if (!currency) {
        throw new AppError(
          'PROVISIONING_INVALID_SETTINGS',
          "The CA account's currency is not known yet; read the balance (module balance) before setting a minimal balance.",
          { field: 'minBalance' },
        );
      }
      try {
        set.min_balance_minor = parseMoney(amount, currency).amountMinor;
      } catch {
        throw new AppError(
          'PROVISIONING_INVALID_SETTINGS',
          `Processing module minimal balance "${amount}" is not a valid ${currency} amount.`,
          {
            field: 'minBalance',
          },
        );
      }
      set.min_balance_currency = currency;
    }
  }
  if (Object.keys(set).length > 0) {
    try {
      await provisioningKysely(ctx.db.kysely)
        .updateTable('processing_modules')
        .set({ ...set, updated_at: now })
        .where('id', '=', moduleId)
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new AppError(
          'PROVISIONING_MODULE_NAME_TAKEN',
          `A processing module named "${set.name}" exists; pick another name.`,
          {
            field: 'name',
          },
        );
      }
      throw e;
    }
  }
  return { module: await getProcessingModule(ctx, moduleId), rechecked: reach };
}

function withTimeouts(row: { connect_timeout_s?: number | null; read_timeout_s?: number | null }): {
  timeouts?: { connectMs?: number; readMs?: number };
} {
  const timeouts = timeoutsOf({
    connect_timeout_s: row.connect_timeout_s ?? null,
    read_timeout_s: row.read_timeout_s ?? null,
  });
  return timeouts ? { timeouts } : {};
}
