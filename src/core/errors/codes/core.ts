import type { ErrorEntry } from '../catalogue.ts';

export const CORE_ERRORS = {
  CORE_VALIDATION: {
    kind: 'validation',
    doc: 'The request or command is malformed; the message names the field and what is allowed.',
  },
  CORE_NOT_FOUND: { kind: 'not_found', doc: 'The route or record does not exist.' },
  CORE_INTERNAL: {
    kind: 'internal',
    doc: 'An unexpected failure; the log holds the details. Retry, then report it.',
  },
  CONFIG_INVALID: {
    kind: 'config',
    doc: 'A configuration file has an invalid value; the message names file, line, option and what is allowed.',
  },
  CONFIG_SECRET_KEY: {
    kind: 'config',
    doc: 'The secret key (CERTBILL_SECRET_KEY or the key file) is missing, unreadable or not 32 bytes.',
  },
  CONFIG_SECRET_KEY_EXPOSED: {
    kind: 'config',
    doc: 'The key file can be read by group or others; run chmod 600 on it (the message names the file).',
  },
  CORE_SECRET_UNREADABLE: {
    kind: 'internal',
    doc: 'A stored secret cannot be decrypted with the current key (wrong key or tampered data).',
  },
  MONEY_INVALID_AMOUNT: {
    kind: 'validation',
    doc: "An amount is not a decimal number with at most the currency's minor digits.",
  },
  MONEY_INVALID_CURRENCY: { kind: 'validation', doc: 'A currency is not a three-letter ISO 4217 code.' },
  MONEY_CURRENCY_MISMATCH: { kind: 'validation', doc: 'Two amounts in different currencies were combined.' },
  DB_UNSUPPORTED_URL: { kind: 'config', doc: 'DATABASE_URL is neither sqlite:<path> nor postgres://…' },
} as const satisfies Record<string, ErrorEntry>;
