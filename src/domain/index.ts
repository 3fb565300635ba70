export { VALIDITY_SCHEDULE, limitsOn, type ValidityLimits } from './validity-schedule.ts';
export { PRODUCT_TYPES, parseProductType, needsSubjectIdentity, type ProductType } from './product-type.ts';
export { CA_HABITS, parseCaHabit, expectedMaxNotAfter, type CaHabit } from './ca-habit.ts';
export { parseInstant, assertInstant } from './parse-instant.ts';
export {
  MIN_YEARS,
  MAX_YEARS,
  MIN_BEFORE_DAYS,
  MAX_BEFORE_DAYS,
  DEFAULT_BEFORE_DAYS,
  assertYears,
  assertBeforeDays,
  parseYears,
  parseBeforeDays,
} from './subscription-terms.ts';
export { computePaidUntil, paidUntilShown } from './compute-paid-until.ts';
export {
  computeReissueTrigger,
  explainReissueTrigger,
  type IssuedCertificateTerms,
  type ReissueTrigger,
} from './compute-reissue-trigger.ts';
export { computeReissueValidity, type ReissueValidity } from './compute-reissue-validity.ts';
export {
  planSubscription,
  type SubscriptionPlan,
  type SubscriptionPlanInput,
  type PlannedCertificate,
} from './plan-subscription.ts';
export { normaliseName, INTERNAL_SUFFIXES, type NormalisedName, type NameKind } from './normalise-name.ts';
export {
  prepareCertificateNames,
  assertSanCount,
  MAX_SANS,
  UC_SAN_PREFIXES,
  SAN_OPTION_TYPES,
  type CertificateNames,
  type ClassifiedName,
  type FoldedName,
  type NameAddon,
  type SanOptionType,
} from './prepare-certificate-names.ts';
export { priceOrder, type OrderPrice, type PriceLine, type PriceLineKind } from './price-order.ts';
export {
  quoteCertificateOrder,
  type CertificateQuote,
  type CertificateQuoteInput,
} from './quote-certificate-order.ts';
export { formatUtcDate, DAY_MS } from './utc-date.ts';
