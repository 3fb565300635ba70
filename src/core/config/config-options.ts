import { isIP } from 'node:net';
import { join } from 'node:path';
import { choiceOption, flagOption, integerOption, textOption, type OptionValue } from './option-spec.ts';
import { timeWindowOption } from './time-window.ts';
import { maskUrlPassword } from './mask-url-password.ts';

const HOST_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*$/;
const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+$/;

/**
 * Every option etc/certbill.conf knows, keyed by its name in TypeScript. The order is the order of
 * `config show` and of docs/configuration.md.
 */
export const CONFIG_OPTIONS = {
  sslSubscriptionPolicy: choiceOption({
    name: 'SSLSubscriptionPolicy',
    values: ['auto', 'manual', 'none'],
    defaultValue: 'auto',
    description:
      'What happens before a subscription certificate expires: auto reissues, manual notifies the client, none does nothing. Overrides the panel.',
  }),
  sslSubscriptionBefore: integerOption({
    name: 'SSLSubscriptionBefore',
    min: 1,
    max: 200,
    unit: 'days',
    defaultValue: 10,
    description:
      'How many days before the current certificate expires the subscription policy fires. Overrides the panel.',
  }),
  sslValidationLeadDays: integerOption({
    name: 'SSLValidationLeadDays',
    min: 1,
    max: 60,
    unit: 'days',
    defaultValue: 14,
    description:
      'How many days before a reissue fresh domain validation starts when the previous one can no longer be reused.',
  }),
  listenAddress: textOption({
    name: 'ListenAddress',
    defaultValue: '127.0.0.1',
    allowed: 'an IP address or host name',
    check: (raw) => (isIP(raw) || HOST_RE.test(raw) ? undefined : 'is not an IP address or host name'),
    description: 'Address the server (panel and API) listens on.',
  }),
  listenPort: integerOption({
    name: 'ListenPort',
    min: 1,
    max: 65535,
    defaultValue: 8080,
    description: 'Port the server (panel and API) listens on.',
  }),
  panelSecureCookie: flagOption({
    name: 'PanelSecureCookie',
    defaultValue: false,
    description:
      'Mark the panel session cookie Secure (HTTPS only) even when the request reached certbill over plain HTTP, e.g. behind a TLS proxy.',
  }),
  databaseUrl: textOption({
    name: 'DatabaseUrl',
    defaultValue: 'sqlite:./data/certbill.sqlite',
    secret: true,
    allowed: 'sqlite:<path> or postgres://user:password@host/database',
    check: (raw) =>
      /^sqlite:.+/.test(raw) || /^postgres(?:ql)?:\/\/.+/.test(raw)
        ? undefined
        : 'is not supported: use sqlite:<path> or postgres://user:password@host/database',
    description: 'The database; the password in a PostgreSQL URL is masked in config show.',
  }),
  logDir: textOption({
    name: 'LogDir',
    defaultValue: './var/log',
    allowed: 'a folder path',
    check: (raw) => (raw.length ? undefined : 'is empty: give a folder path'),
    description: 'Folder of the per-module logs (certbill.log, pmglobalsign.log, …).',
  }),
  demoSimulator: flagOption({
    name: 'DemoSimulator',
    defaultValue: true,
    description: 'Start the built-in GlobalSign simulator with the server, as the Demo CA.',
  }),
  demoSimulatorPort: integerOption({
    name: 'DemoSimulatorPort',
    min: 1,
    max: 65535,
    defaultValue: 8443,
    description: 'Port of the built-in simulator when DemoSimulator is on.',
  }),
  smtpUrl: textOption({
    name: 'SmtpUrl',
    defaultValue: undefined,
    secret: true,
    allowed: 'smtp://user:password@host:587 or smtps://…',
    check: (raw) =>
      /^smtps?:\/\/[^\s]+$/.test(raw)
        ? undefined
        : 'is not an SMTP URL: use smtp://user:password@host:587 or smtps://…',
    description: 'Mail server for notifications (optional). The password is masked in config show.',
  }),
  mailFrom: textOption({
    name: 'MailFrom',
    defaultValue: 'certbill@localhost',
    allowed: 'an e-mail address',
    check: (raw) =>
      EMAIL_RE.test(raw) ? undefined : 'is not an e-mail address: use e.g. billing@example.com',
    description: 'Sender address of notifications.',
  }),
  balanceRefreshHours: integerOption({
    name: 'BalanceRefreshHours',
    min: 1,
    max: 168,
    unit: 'hours',
    defaultValue: 6,
    description: 'How often the balance of each processing module account is read from the CA.',
  }),
  reissueWindow: timeWindowOption({
    name: 'ReissueWindow',
    description: 'Daily UTC window in which automatic reissues start; unset means any time.',
  }),
  reissuePerHour: integerOption({
    name: 'ReissuePerHour',
    min: 1,
    unit: 'per hour',
    defaultValue: undefined,
    description: 'At most this many automatic reissues start per hour; unset means no cap.',
  }),
  maintenanceMode: flagOption({
    name: 'MaintenanceMode',
    defaultValue: false,
    description: 'Refuse new orders and pause scheduled jobs (the panel stays readable).',
  }),
  secretKeyFile: textOption({
    name: 'SecretKeyFile',
    defaultValue: ({ etcDir }) => join(etcDir, 'secret.key'),
    allowed: 'a file path',
    check: (raw) => (raw.length ? undefined : 'is empty: give a file path'),
    description:
      'Key that encrypts stored secrets, created with mode 0600 on first start; CERTBILL_SECRET_KEY replaces it.',
  }),
} as const;

export type OptionKey = keyof typeof CONFIG_OPTIONS;

/** The validated, frozen configuration. */
export type Config = { readonly [K in OptionKey]: OptionValue<(typeof CONFIG_OPTIONS)[K]> };

export const OPTION_KEYS = Object.keys(CONFIG_OPTIONS) as OptionKey[];

/** Masks what a secret option's value would reveal; other values are returned as they are. */
export function displayValue(key: OptionKey, text: string): string {
  return CONFIG_OPTIONS[key].secret ? maskUrlPassword(text) : text;
}
