import { AppError } from '../core/errors/index.ts';

export const PRODUCT_TYPES = ['DV', 'OV', 'EV'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

/**
 * Reads a product type, case-insensitively.
 * @example parseProductType('dv') → 'DV'
 */
export function parseProductType(text: string): ProductType {
  const upper = text.trim().toUpperCase();
  const found = PRODUCT_TYPES.find((type) => type === upper);
  if (!found) {
    throw new AppError(
      'DOMAIN_INVALID_PRODUCT_TYPE',
      `Product type "${text}" is not known; allowed: ${PRODUCT_TYPES.join(', ')}.`,
      { productType: text, allowed: PRODUCT_TYPES },
    );
  }
  return found;
}

/** OV and EV certificates carry organization data, which needs subject identity (SII) validation. */
export function needsSubjectIdentity(productType: ProductType): boolean {
  return productType !== 'DV';
}
