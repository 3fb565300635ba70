/**
 * The few `Reflect` metadata functions that @peculiar/x509's dependency tsyringe checks for at load
 * time. Installed only when no polyfill (such as `reflect-metadata`) is present; import this module
 * before `@peculiar/x509` (see `x509.ts`).
 */
type Key = unknown;
type Target = object;

const store = new WeakMap<Target, Map<Key, unknown>>();

function own(target: Target, create: boolean): Map<Key, unknown> | undefined {
  let map = store.get(target);
  if (!map && create) {
    map = new Map();
    store.set(target, map);
  }
  return map;
}

interface MetadataReflect {
  defineMetadata?: (key: Key, value: unknown, target: Target) => void;
  getOwnMetadata?: (key: Key, target: Target) => unknown;
  getMetadata?: (key: Key, target: Target) => unknown;
  hasMetadata?: (key: Key, target: Target) => boolean;
  metadata?: (key: Key, value: unknown) => (target: Target) => void;
}

const reflect = Reflect as unknown as MetadataReflect;

if (typeof reflect.getMetadata !== 'function') {
  reflect.defineMetadata = (key, value, target) => {
    own(target, true)!.set(key, value);
  };
  reflect.getOwnMetadata = (key, target) => own(target, false)?.get(key);
  reflect.getMetadata = (key, target) => {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t) as Target | null) {
      const map = own(t, false);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  };
  reflect.hasMetadata = (key, target) => reflect.getMetadata!(key, target) !== undefined;
  reflect.metadata = (key, value) => (target) => reflect.defineMetadata!(key, value, target);
}

export {};
