/**
 * Whose problem a failure is. The provisioning layer decides from this alone whether to ask the
 * customer for new data, alert an admin (credentials, IP, CA balance), look the order up, or retry.
 */
export type GlobalSignParty =
  'client-data' | 'credentials' | 'source-ip' | 'ca-balance' | 'order-state' | 'ca-system' | 'transport';

export interface ErrorTableEntry {
  readonly party: Exclude<GlobalSignParty, 'transport'>;
  readonly retryable: boolean;
  readonly meaning: string;
  /** The order id names nothing at GlobalSign. */
  readonly notFound?: boolean;
}

const data = (meaning: string): ErrorTableEntry => ({ party: 'client-data', retryable: false, meaning });
const state = (meaning: string, notFound = false): ErrorTableEntry => ({
  party: 'order-state',
  retryable: false,
  meaning,
  notFound,
});
const system = (meaning: string): ErrorTableEntry => ({ party: 'ca-system', retryable: true, meaning });

/**
 * The one table of GlobalSign `ErrorCode`s (spec §8): class, retryable, short meaning.
 *
 * @example
 *   ERROR_TABLE['-6101']; // { party: 'ca-balance', retryable: false, meaning: 'account balance too low for this order' }
 */
export const ERROR_TABLE: Readonly<Record<string, ErrorTableEntry>> = {
  '-1': system('internal system error'),
  '-101': data('invalid parameter'),
  '-102': data('mandatory parameter missing'),
  '-103': data('parameter length check error'),
  '-104': data('parameter format check error'),
  '-105': data('invalid parameter combination'),
  '-109': data('missing parameter'),
  '-201': system('database error'),
  '-300': system('database error'),
  '-301': system('database error'),
  '-2001': system('order e-mail could not be sent'),
  '-3002': data('domain not found in WHOIS'),
  '-3012': data('domain or DNS lookup failed'),
  '-3013': data('domain or DNS lookup failed'),
  '-3019': data('domain or DNS lookup failed'),
  '-3022': data('SOA record not found'),
  '-3025': data('SOA record not found'),
  '-3026': data('DNS TXT record not found'),
  '-4001': { party: 'credentials', retryable: false, meaning: 'login failure (user name or password)' },
  '-4003': state('order id or voucher does not exist', true),
  '-4004': state('order id already exists (already placed)'),
  '-4005': data('refused by a logical limitation'),
  '-4006': data('CSR common name, key type or length not acceptable'),
  '-4007': data('CSR invalid'),
  '-4008': data('target certificate expired, not matching or unreachable'),
  '-4009': data('approver e-mail invalid'),
  '-4016': state('certificate already reissued'),
  '-4083': data('common name outside the MSSL domain'),
  '-4147': state('domain verification failed'),
  '-4201': { party: 'source-ip', retryable: false, meaning: 'caller IP not allow-listed for API access' },
  '-5001': data('phishing / keyword warning; order held for manual review'),
  '-6002': data('target certificate cannot be parsed'),
  '-6007': data('public key already used'),
  '-6017': data('too many SAN entries'),
  '-6018': data('SubjectAltName invalid'),
  '-6021': data('common name in the CSR differs from the FQDN'),
  '-6035': data('validity period warning'),
  '-6101': { party: 'ca-balance', retryable: false, meaning: 'account balance too low for this order' },
  '-6102': state('renewal refused (common name must match; original issued and not yet renewed)'),
  '-9025': state('no renewal authority'),
  '-9100': system('unable to process'),
  '-9101': data('illegal SAN option'),
  '-9151': state('reissue without CSR on an order that is not AutoCSR'),
  '-9152': data('approver URL format incorrect'),
  '-9200': { party: 'credentials', retryable: false, meaning: 'user type not allowed to use this API' },
  '-9901': data('product not allowed for this account'),
  '-9902': state('no permission for this order id'),
  '-9911': { party: 'ca-balance', retryable: false, meaning: 'insufficient funds' },
  '-9912': { party: 'ca-balance', retryable: false, meaning: 'insufficient funds' },
  '-9913': data('coupon not found'),
  '-9914': data('campaign not found'),
  '-9915': state('order already cancelled'),
  '-9916': state('order id not found', true),
  '-9918': data('coupon or campaign expired'),
  '-9919': data('coupon already used'),
  '-9920': data('coupon or campaign not active'),
  '-9922': data('coupon or campaign in another currency'),
  '-9925': data('common name does not match the base option'),
  '-9933': data('NotBefore/NotAfter span exceeds the months ordered'),
  '-9934': data('top-level domain banned'),
  '-9936': data('weak key (RSA < 2048, ECC < 256 or a known weak key)'),
  '-9938': state('order already modified'),
  '-9939': { party: 'credentials', retryable: false, meaning: 'account invalid, stopped or locked' },
  '-9940': data('NotBefore/NotAfter in the past, or key previously revoked'),
  '-9942': system('RA system failed to request'),
  '-9943': system('RA system failed to issue'),
  '-9949': data('NotAfter beyond the baseline validity limit'),
  '-9952': data('top-level domain not allowed'),
  '-9953': data("domain's region not allowed for this partner"),
  '-9961': data('ECC curve not allowed (P-256 or P-384 only)'),
  '-9962': data('key compression not allowed'),
  '-9964': data('product algorithm does not match the CSR key'),
  '-9971': data('internal server name not allowed'),
};

/** What an unlisted code counts as: not retried, left for a person. */
export const UNKNOWN_ERROR: ErrorTableEntry = {
  party: 'ca-system',
  retryable: false,
  meaning: 'unclassified GlobalSign error',
};

/**
 * Looks a code up; unlisted codes get `UNKNOWN_ERROR`.
 *
 * @example
 *   errorEntryOf('-4001').party; // 'credentials'
 */
export function errorEntryOf(code: string): ErrorTableEntry {
  return ERROR_TABLE[code.trim()] ?? UNKNOWN_ERROR;
}

/** When several codes come back, the one that decides the class: the one an admin must fix first. */
const PARTY_PRIORITY: readonly ErrorTableEntry['party'][] = [
  'credentials',
  'source-ip',
  'ca-balance',
  'order-state',
  'client-data',
  'ca-system',
];

/**
 * The deciding entry among several codes; a failure is retryable only if every code is.
 *
 * @example
 *   classifyErrorCodes(['-102', '-4001']).party; // 'credentials'
 */
export function classifyErrorCodes(codes: readonly string[]): ErrorTableEntry {
  const entries = codes.map(errorEntryOf);
  if (entries.length === 0) return UNKNOWN_ERROR;
  const known = entries.filter((e) => e !== UNKNOWN_ERROR);
  const pool = known.length ? known : entries;
  const best = [...pool].sort(
    (a, b) => PARTY_PRIORITY.indexOf(a.party) - PARTY_PRIORITY.indexOf(b.party),
  )[0]!;
  return { ...best, retryable: entries.every((e) => e.retryable) };
}
