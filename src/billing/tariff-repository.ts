import type { Kysely } from 'kysely';
import { AppError } from '../core/errors/index.ts';
import type { Money } from '../core/money.ts';
import { storedMoney } from './stored-money.ts';
import type { NameAddon, ProductType } from '../domain/index.ts';
import type { Database as Schema } from '../db/schema.ts';
import { certificateProduct, productTitle, type CertificateProductCode } from './certificate-products.ts';

/** The two addon types a certificate tariff sells, keyed like the domain rules' name classes. */
export const ADDON_LABELS = {
  'uc-san': 'Additional UC SANs domains',
  'additional-domain': 'Additional domains',
} as const satisfies { [K in NameAddon]: string };

export interface PeriodPrice {
  readonly years: number;
  readonly price: Money;
}

export interface TariffAddon {
  readonly kind: NameAddon;
  readonly label: string;
  /** Names of this class the base price already covers. */
  readonly includedCount: number;
  /** Price per name for each period the tariff sells. */
  readonly prices: readonly PeriodPrice[];
}

export interface TariffModule {
  readonly moduleId: number;
  /** Position in the tariff's list; the module's own Sort decides the order of attempts. */
  readonly sort: number;
}

export interface Tariff {
  readonly id: number;
  readonly name: string;
  readonly productType: string;
  readonly product: CertificateProductCode;
  /** GlobalSign family: AlphaSSL, DomainSSL, OrganizationSSL, ExtendedSSL. */
  readonly family: string;
  /** "DomainSSL Wildcard". */
  readonly title: string;
  readonly validation: ProductType;
  readonly wildcard: boolean;
  readonly currency: string;
  readonly active: boolean;
  /** Bumped by every change; a cached copy with the same version is current. */
  readonly version: number;
  /** Price of the certificate for each period sold, shortest first. */
  readonly prices: readonly PeriodPrice[];
  readonly addons: readonly TariffAddon[];
  readonly modules: readonly TariffModule[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export async function findTariff(db: Kysely<Schema>, id: number): Promise<Tariff | null> {
  return (await loadTariffs(db, { ids: [id] }))[0] ?? null;
}

export async function getTariff(db: Kysely<Schema>, id: number): Promise<Tariff> {
  const tariff = await findTariff(db, id);
  if (!tariff)
    throw new AppError('BILLING_TARIFF_NOT_FOUND', `Tariff ${id} does not exist.`, { tariffId: id });
  return tariff;
}

const snapshots = new WeakMap<object, Map<number, Tariff>>();

/**
 * The tariff as it is now, read in the caller's transaction: one query for its version when the
 * copy cached for `owner` (the application's Database) is still current, all its rows otherwise.
 * Every change to a tariff bumps its version, so orders pay current prices.
 * @example const tariff = await readCurrentTariff(ctx.db, trx, 1);
 */
export async function readCurrentTariff(owner: object, db: Kysely<Schema>, id: number): Promise<Tariff> {
  const row = await db.selectFrom('tariffs').select('version').where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('BILLING_TARIFF_NOT_FOUND', `Tariff ${id} does not exist.`, { tariffId: id });
  let cache = snapshots.get(owner);
  const cached = cache?.get(id);
  if (cached && cached.version === row.version) return cached;
  const tariff = await getTariff(db, id);
  if (!cache) snapshots.set(owner, (cache = new Map()));
  cache.set(id, tariff);
  return tariff;
}

/** Tariffs by id; only the active ones when `activeOnly`. */
export async function listTariffs(
  db: Kysely<Schema>,
  opts: { activeOnly?: boolean } = {},
): Promise<Tariff[]> {
  return loadTariffs(db, opts);
}

async function loadTariffs(
  db: Kysely<Schema>,
  opts: { ids?: number[]; activeOnly?: boolean },
): Promise<Tariff[]> {
  let query = db.selectFrom('tariffs').selectAll().orderBy('id', 'asc');
  if (opts.ids) query = query.where('id', 'in', opts.ids);
  if (opts.activeOnly) query = query.where('active', '=', 1);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [prices, addons, addonPrices, modules] = await Promise.all([
    db.selectFrom('tariff_prices').selectAll().where('tariff_id', 'in', ids).orderBy('years').execute(),
    db.selectFrom('tariff_addons').selectAll().where('tariff_id', 'in', ids).execute(),
    db.selectFrom('tariff_addon_prices').selectAll().where('tariff_id', 'in', ids).orderBy('years').execute(),
    db.selectFrom('tariff_modules').selectAll().where('tariff_id', 'in', ids).orderBy('sort').execute(),
  ]);
  return rows.map((row) => {
    const wildcard = row.wildcard === 1;
    const product = certificateProduct(row.product);
    const addonKinds = Object.keys(ADDON_LABELS) as NameAddon[];
    return {
      id: row.id,
      name: row.name,
      productType: row.product_type,
      product: product.code,
      family: product.family,
      title: productTitle(product, wildcard),
      validation: product.validation,
      wildcard,
      currency: row.currency,
      active: row.active === 1,
      version: row.version,
      prices: prices
        .filter((p) => p.tariff_id === row.id)
        .map((p) => ({ years: p.years, price: storedMoney(p.price_minor, row.currency) })),
      addons: addonKinds.flatMap((kind) => {
        const addon = addons.find((a) => a.tariff_id === row.id && a.kind === kind);
        if (!addon) return [];
        return [
          {
            kind,
            label: ADDON_LABELS[kind],
            includedCount: addon.included_count,
            prices: addonPrices
              .filter((p) => p.tariff_id === row.id && p.kind === kind)
              .map((p) => ({ years: p.years, price: storedMoney(p.price_minor, row.currency) })),
          },
        ];
      }),
      modules: modules
        .filter((m) => m.tariff_id === row.id)
        .map((m) => ({ moduleId: m.module_id, sort: m.sort })),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  });
}

/** Deletes a tariff's addon of one kind with its prices (inside the caller's transaction). */
export async function deleteTariffAddonRows(trx: Kysely<Schema>, tariffId: number, kind: NameAddon) {
  await trx
    .deleteFrom('tariff_addon_prices')
    .where('tariff_id', '=', tariffId)
    .where('kind', '=', kind)
    .execute();
  await trx.deleteFrom('tariff_addons').where('tariff_id', '=', tariffId).where('kind', '=', kind).execute();
}

/** Marks a change of a tariff's prices or addons: a cached copy of an older version is stale. */
export async function bumpTariffVersion(trx: Kysely<Schema>, tariffId: number, at: string) {
  await trx
    .updateTable('tariffs')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', tariffId)
    .execute();
}
