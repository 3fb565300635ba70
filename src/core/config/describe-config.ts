import { CONFIG_OPTIONS, OPTION_KEYS, displayValue, type OptionKey } from './config-options.ts';
import type { LoadedConfig } from './load-config.ts';
import { formatSource } from './option-source.ts';
import type { OptionSpec } from './option-spec.ts';

export interface ConfigRow {
  readonly name: string;
  /** The resolved value as it would be written in the file, secrets masked; '' when unset. */
  readonly value: string;
  /** `default`, `file:<path>:<line>` or `env:<VAR>`. */
  readonly source: string;
  readonly description: string;
}

/**
 * The rows of `certbill config show`, in the documented order.
 * @example describeConfig(loaded)[1] → { name: 'SSLSubscriptionBefore', value: '20', source: 'file:etc/certbill.conf:3', description: '…' }
 */
export function describeConfig(loaded: LoadedConfig): ConfigRow[] {
  return OPTION_KEYS.map((key: OptionKey) => {
    const spec = CONFIG_OPTIONS[key] as OptionSpec<unknown>;
    return {
      name: spec.name,
      value: displayValue(key, spec.format(loaded.config[key])),
      source: formatSource(loaded.sources[key]),
      description: spec.description,
    };
  });
}
