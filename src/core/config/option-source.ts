import { CONFIG_OPTIONS, type OptionKey } from './config-options.ts';

/** Where a resolved option came from. */
export type OptionSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'file'; readonly path: string; readonly line: number }
  | { readonly kind: 'env'; readonly variable: string };

/**
 * The provenance as `config show` prints it.
 * @example formatSource({ kind: 'file', path: 'etc/certbill.conf', line: 3 }) → 'file:etc/certbill.conf:3'
 */
export function formatSource(source: OptionSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'file':
      return `file:${source.path}:${source.line}`;
    case 'env':
      return `env:${source.variable}`;
  }
}

/**
 * Environment variables that set an option, strongest first: `CERTBILL_<UPPER_SNAKE>` for every
 * option, plus the bare `DATABASE_URL` the command line documents.
 * @example envVariablesFor('sslSubscriptionBefore') → ['CERTBILL_SSL_SUBSCRIPTION_BEFORE']
 */
export function envVariablesFor(key: OptionKey): string[] {
  const own = `CERTBILL_${upperSnake(CONFIG_OPTIONS[key].name)}`;
  return key === 'databaseUrl' ? [own, 'DATABASE_URL'] : [own];
}

/** `SSLSubscriptionBefore` → `SSL_SUBSCRIPTION_BEFORE` */
export function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}
