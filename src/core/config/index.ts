export { loadConfig, type LoadedConfig, type LoadConfigInput } from './load-config.ts';
export { describeConfig, type ConfigRow } from './describe-config.ts';
export {
  subscriptionOverride,
  type SubscriptionOverride,
  type OptionOverride,
} from './subscription-override.ts';
export { CONFIG_OPTIONS, OPTION_KEYS, type Config, type OptionKey } from './config-options.ts';
export { formatSource, envVariablesFor, type OptionSource } from './option-source.ts';
export { isWithinWindow, type TimeWindow } from './time-window.ts';
export { maskUrlPassword } from './mask-url-password.ts';
