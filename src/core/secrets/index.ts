export { createSecretBox, type SecretBox, type CreateSecretBoxInput } from './secret-box.ts';
export {
  loadSecretKeys,
  keyIdOf,
  type SecretKey,
  type LoadedSecretKeys,
  type LoadSecretKeysInput,
} from './secret-key.ts';
