import { AppError } from '../core/errors/index.ts';
import type { ProductType } from '../domain/index.ts';

/**
 * The GlobalSign certificate families a tariff can sell. Wildcard is a variant of a family
 * (GlobalSign's `BaseOption=wildcard`), offered by every family but ExtendedSSL.
 */
export const CERTIFICATE_PRODUCTS = [
  { code: 'DV_LOW', family: 'AlphaSSL', validation: 'DV', wildcard: true },
  { code: 'DV', family: 'DomainSSL', validation: 'DV', wildcard: true },
  { code: 'OV', family: 'OrganizationSSL', validation: 'OV', wildcard: true },
  { code: 'EV', family: 'ExtendedSSL', validation: 'EV', wildcard: false },
] as const satisfies ReadonlyArray<{
  code: string;
  family: string;
  validation: ProductType;
  wildcard: boolean;
}>;

export type CertificateProduct = (typeof CERTIFICATE_PRODUCTS)[number];
export type CertificateProductCode = CertificateProduct['code'];
export const CERTIFICATE_PRODUCT_CODES = CERTIFICATE_PRODUCTS.map((p) => p.code);

/** The product type every certificate tariff belongs to. */
export const SSL_PRODUCT_TYPE = 'ssl';

/**
 * @example certificateProduct('dv_low', true) → { code: 'DV_LOW', family: 'AlphaSSL', validation: 'DV', wildcard: true }
 */
export function certificateProduct(code: string, wildcard = false): CertificateProduct {
  const product = CERTIFICATE_PRODUCTS.find((p) => p.code === code.trim().toUpperCase());
  if (!product) {
    throw new AppError(
      'BILLING_INVALID_PRODUCT',
      `Product "${code}" is not sold; use one of ${CERTIFICATE_PRODUCT_CODES.join(', ')}.`,
      { product: code, allowed: CERTIFICATE_PRODUCT_CODES },
    );
  }
  if (wildcard && !product.wildcard) {
    throw new AppError(
      'BILLING_INVALID_PRODUCT',
      `${product.family} (${product.code}) has no wildcard variant; sell it without --wildcard.`,
      { product: product.code },
    );
  }
  return product;
}

/** "AlphaSSL Wildcard", "ExtendedSSL". */
export function productTitle(product: CertificateProduct, wildcard: boolean): string {
  return wildcard ? `${product.family} Wildcard` : product.family;
}
