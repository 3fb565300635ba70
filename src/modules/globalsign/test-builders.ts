import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogLevelName, ModuleLogger } from '../../core/logs/module-logger.ts';
import { LOG_LEVELS } from '../../core/logs/module-logger.ts';
import type {
  ContactInput,
  DvOrderInput,
  DvValidationOrderInput,
  EvOrderInput,
  OrderParameters,
  OvOrderInput,
  SanEntryInput,
} from './types.ts';

/** Test data builders and helpers for the GlobalSign module's tests. */

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const sharedDir = process.env.CERTBILL_SHARED_DIR ?? path.resolve(repoRoot, '../shared');
export const xsdDir = path.join(sharedDir, 'globalsign-wsdl', 'xsd');

export function fixture(name: string): string {
  return readFileSync(path.join(here, 'fixtures', name), 'utf8');
}

export const CSR = fixture('example.csr');

export const contact: ContactInput = {
  firstName: 'Taro',
  lastName: 'Yamada',
  phone: '+81 3 1234 5678',
  email: 'taro@example.com',
};

export const sans: SanEntryInput[] = [
  { kind: 'uc', name: 'mail.example.com' },
  { kind: 'subdomain', name: 'shop.example.com' },
  { kind: 'fqdn', name: 'example.org' },
  { kind: 'wildcard', name: '*.example.net' },
];

export function orderParameters(overrides: Partial<OrderParameters> = {}): OrderParameters {
  return { productCode: 'DV_LOW', orderKind: 'new', validity: { months: 12 }, csr: CSR, ...overrides };
}

export function fullOrderParameters(productCode: string): OrderParameters {
  return {
    productCode,
    baseOption: 'wildcard',
    orderKind: 'renewal',
    licenses: 1,
    options: [{ name: 'SAN', value: 'true' }],
    validity: {
      months: 12,
      notBefore: new Date('2026-04-02T00:00:00Z'),
      notAfter: new Date('2026-10-18T00:00:00Z'),
    },
    csr: CSR,
    renewalTargetOrderId: 'CEAP1609307388',
    targetCert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    specialInstructions: 'Call before issuing & thanks <team>',
    coupon: 'SPRING',
    campaign: 'C2026',
  };
}

export function dvOrderInput(full = false): DvOrderInput {
  return full
    ? {
        order: fullOrderParameters('DV'),
        subId: 'S01',
        orderId: 'CEAP1708100123',
        approverEmail: 'admin@example.com',
        contact,
        secondContact: { firstName: 'Hanako', lastName: 'Sato', email: 'hanako@example.com' },
        sanEntries: sans,
      }
    : { order: orderParameters(), orderId: 'CEAP1708100123', approverEmail: 'admin@example.com', contact };
}

export function dvValidationInput(productCode: string, full = false): DvValidationOrderInput {
  return full
    ? {
        order: fullOrderParameters(productCode),
        subId: 'S01',
        contact,
        secondContact: { firstName: 'Hanako', lastName: 'Sato', email: 'hanako@example.com' },
        sanEntries: sans,
      }
    : { order: orderParameters({ productCode }), contact };
}

export function ovOrderInput(full = false): OvOrderInput {
  const base: OvOrderInput = {
    order: orderParameters({ productCode: 'OV' }),
    organization: {
      name: 'Example K.K.',
      address: {
        city: 'Shibuya',
        region: 'Tokyo',
        postalCode: '150-0002',
        country: 'JP',
        phone: '+81 3 1234 5678',
      },
    },
    contact,
  };
  if (!full) return base;
  return {
    ...base,
    order: fullOrderParameters('OV'),
    subId: 'S01',
    organization: {
      name: 'Example K.K.',
      creditAgency: '1',
      organizationCode: '123456789',
      address: {
        addressLine1: '1-2-3 Shibuya',
        addressLine2: 'Floor 4',
        addressLine3: 'Suite 5',
        city: 'Shibuya',
        region: 'Tokyo',
        postalCode: '150-0002',
        country: 'JP',
        phone: '+81 3 1234 5678',
        fax: '+81 3 1234 5679',
      },
    },
    secondContact: { firstName: 'Hanako', lastName: 'Sato', email: 'hanako@example.com' },
    sanEntries: sans,
    extensions: [{ name: 'ExtendedKeyUsage', value: 'serverAuth' }],
  };
}

export function evOrderInput(full = false): EvOrderInput {
  const person = {
    firstName: 'Taro',
    lastName: 'Yamada',
    function: 'CTO',
    organizationName: 'Example K.K.',
    organizationUnit: 'IT',
    phone: '+81 3 1234 5678',
    email: 'taro@example.com',
  };
  const base: EvOrderInput = {
    order: orderParameters({ productCode: 'EV' }),
    organization: {
      businessCategory: 'PO',
      address: {
        addressLine1: '1-2-3 Shibuya',
        city: 'Shibuya',
        region: 'Tokyo',
        country: 'JP',
        phone: '+81 3 1234 5678',
      },
    },
    requestor: person,
    approver: person,
    authorizedSigner: {
      organizationName: 'Example K.K.',
      firstName: 'Jiro',
      lastName: 'Suzuki',
      function: 'CEO',
      phone: '+81 3 1234 5678',
      email: 'jiro@example.com',
    },
    jurisdiction: { country: 'JP', incorporationAgencyRegistrationNumber: '0110-01-012345' },
    contact,
  };
  if (!full) return base;
  return {
    ...base,
    order: fullOrderParameters('EV'),
    subId: 'S01',
    organization: {
      businessAssumedName: 'Example',
      creditAgency: '1',
      organizationCode: '123456789',
      businessCategory: 'PO',
      address: {
        addressLine1: '1-2-3 Shibuya',
        addressLine2: 'Floor 4',
        addressLine3: 'Suite 5',
        city: 'Shibuya',
        region: 'Tokyo',
        postalCode: '150-0002',
        country: 'JP',
        phone: '+81 3 1234 5678',
        fax: '+81 3 1234 5679',
      },
    },
    jurisdiction: {
      country: 'JP',
      state: 'Tokyo',
      locality: 'Shibuya',
      incorporationAgencyRegistrationNumber: '0110-01-012345',
    },
    secondContact: { firstName: 'Hanako', lastName: 'Sato', email: 'hanako@example.com' },
    sanEntries: sans,
  };
}

/** A logger that keeps every line at or below `maxLevel`. */
export function capturingLogger(maxLevel: LogLevelName = 'debug'): ModuleLogger & {
  lines: { level: LogLevelName; facility: string; message: string }[];
} {
  const lines: { level: LogLevelName; facility: string; message: string }[] = [];
  return {
    module: 'pmglobalsign',
    lines,
    enabled: (level) => LOG_LEVELS[level] <= LOG_LEVELS[maxLevel],
    write(level, facility, message) {
      if (LOG_LEVELS[level] <= LOG_LEVELS[maxLevel]) lines.push({ level, facility, message });
    },
  };
}
