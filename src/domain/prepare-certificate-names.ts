import { AppError } from '../core/errors/index.ts';
import { normaliseName, type NormalisedName } from './normalise-name.ts';

/** GlobalSign's limit for a multi-domain certificate: the CN plus this many SANs. */
export const MAX_SANS = 100;

/** Subdomains GlobalSign includes in every SSL certificate; priced with the UC SAN addon. */
export const UC_SAN_PREFIXES = ['www', 'owa', 'mail', 'autodiscover'] as const;

export const NAME_ADDONS = ['uc-san', 'additional-domain'] as const;
export type NameAddon = (typeof NAME_ADDONS)[number];

/** GlobalSign's `SANOptionType` values; 4 (private IP) exists on the wire but is never accepted. */
export const SAN_OPTION_TYPES = {
  ucSan: 1,
  subdomain: 2,
  publicIp: 3,
  privateIp: 4,
  fqdn: 7,
  wildcard: 13,
} as const;
export type SanOptionType = 1 | 2 | 3 | 7 | 13;

export interface ClassifiedName {
  readonly name: string;
  readonly addon: NameAddon;
  readonly sanOptionType: SanOptionType;
}

export interface FoldedName {
  readonly input: string;
  readonly name: string;
  readonly reason: 'duplicate' | 'common-name';
}

export interface CertificateNames {
  readonly cn: string;
  /** The SANs to order, in the order given, each once. */
  readonly names: ClassifiedName[];
  /** Inputs dropped because they repeat the CN or an earlier SAN: never charged twice. */
  readonly folded: FoldedName[];
  readonly ucSanCount: number;
  readonly additionalDomainCount: number;
}

export interface CertificateNamesInput {
  readonly cn: string;
  readonly sans?: readonly string[];
  /** Whether the product takes wildcard names; default true. */
  readonly allowWildcards?: boolean;
}

/**
 * Normalises the CN and the SANs, folds repeats, and classifies each SAN relative to the CN's base
 * (the CN without a leading `www.` or `*.`): www/owa/mail/autodiscover + base → UC SAN addon
 * (type 1); anything else → additional domain addon: other subdomain of the base 2, public IP 3,
 * other name 7, wildcard 13.
 * @example
 *   prepareCertificateNames({ cn: 'example.com', sans: ['www.example.com', 'test.example.com'] })
 *   → { cn: 'example.com', names: [{ name: 'www.example.com', addon: 'uc-san', sanOptionType: 1 },
 *       { name: 'test.example.com', addon: 'additional-domain', sanOptionType: 2 }], ucSanCount: 1, … }
 */
export function prepareCertificateNames(input: CertificateNamesInput): CertificateNames {
  const sans = input.sans ?? [];
  assertSanCount(sans.length);
  const options = { allowWildcard: input.allowWildcards ?? true };
  const cn = normaliseName(input.cn, options);
  const base = baseOf(cn);
  const seen = new Set<string>([cn.name]);
  const names: ClassifiedName[] = [];
  const folded: FoldedName[] = [];
  let ucSanCount = 0;

  for (const raw of sans) {
    const san = normaliseName(raw, options);
    if (seen.has(san.name)) {
      folded.push({ input: raw, name: san.name, reason: san.name === cn.name ? 'common-name' : 'duplicate' });
      continue;
    }
    seen.add(san.name);
    const classified = classifySan(san, base);
    if (classified.addon === 'uc-san') ucSanCount++;
    names.push(classified);
  }
  return { cn: cn.name, names, folded, ucSanCount, additionalDomainCount: names.length - ucSanCount };
}

/**
 * Refuses more than 100 SANs, counted as given (before normalisation or folding), so the check runs
 * before anything else.
 * @example assertSanCount(101) throws DOMAIN_TOO_MANY_NAMES
 */
export function assertSanCount(count: number): void {
  if (count > MAX_SANS) {
    throw new AppError(
      'DOMAIN_TOO_MANY_NAMES',
      `A certificate holds the common name plus at most ${MAX_SANS} additional names; got ${count}. Remove ${count - MAX_SANS} or split the order.`,
      { count, max: MAX_SANS },
    );
  }
}

function baseOf(cn: NormalisedName): string {
  if (cn.kind === 'wildcard') return cn.name.slice(2);
  return cn.name.startsWith('www.') ? cn.name.slice(4) : cn.name;
}

function classifySan(san: NormalisedName, base: string): ClassifiedName {
  if (san.kind === 'wildcard') return additional(san.name, SAN_OPTION_TYPES.wildcard);
  if (san.kind === 'ip') return additional(san.name, SAN_OPTION_TYPES.publicIp);
  if (!san.name.endsWith(`.${base}`)) return additional(san.name, SAN_OPTION_TYPES.fqdn);
  const prefix = san.name.slice(0, -base.length - 1);
  if ((UC_SAN_PREFIXES as readonly string[]).includes(prefix)) {
    return { name: san.name, addon: 'uc-san', sanOptionType: SAN_OPTION_TYPES.ucSan };
  }
  return additional(san.name, SAN_OPTION_TYPES.subdomain);
}

function additional(name: string, sanOptionType: SanOptionType): ClassifiedName {
  return { name, addon: 'additional-domain', sanOptionType };
}
