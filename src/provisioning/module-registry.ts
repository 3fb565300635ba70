import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors/index.ts';
import type { ModuleLogger } from '../core/logs/module-logger.ts';
import type { ProcessingModule } from './processing-module.ts';

/** The product types a module can serve; SSL certificates only today. */
export const MODULE_PRODUCT_TYPES = ['ssl'] as const;
export type ModuleProductType = (typeof MODULE_PRODUCT_TYPES)[number];

/** What a module instance is built from: the integration settings, already resolved and decrypted. */
export interface ModuleSettings {
  readonly username: string;
  readonly password: string;
  /** Where the CA's API is, e.g. `https://system.globalsign.com/kb/ws/v1/`. */
  readonly baseUrl: string;
  /** Local address outgoing requests leave from (the address the CA allow-lists); none = any. */
  readonly sourceAddress?: string;
  readonly timeouts?: { readonly connectMs?: number; readonly readMs?: number };
  /** Calls per query, the first included (orders are never repeated); default the module's own. */
  readonly queryAttempts?: number;
}

export interface ModuleDeps {
  readonly clock: Clock;
  /** The module's own log, e.g. `pmglobalsign`. */
  readonly logger: ModuleLogger;
}

export type ModuleFactory = (settings: ModuleSettings, deps: ModuleDeps) => ProcessingModule;

/**
 * One kind of processing module, as the composition root registers it.
 *
 * @example
 *   { kind: 'globalsign', title: 'GlobalSign', productType: 'ssl', logName: 'pmglobalsign',
 *     endpoints: { production: 'https://system.globalsign.com/kb/ws/v1/', demo: 'https://test-gcc.globalsign.com/kb/ws/v1/' },
 *     create: (settings, deps) => new GlobalSignModule(settings, deps) }
 */
export interface ModuleKind {
  /** Stable identifier stored with each configured module: lower-case letters, digits, hyphens. */
  readonly kind: string;
  /** As the wizard shows it, e.g. `GlobalSign`. */
  readonly title: string;
  readonly productType: ModuleProductType;
  /** The module's log file name without `.log`. */
  readonly logName: string;
  /** The CA's API for real orders, and its test system (what "Demo" points at by default). */
  readonly endpoints: { readonly production: string; readonly demo: string };
  readonly create: ModuleFactory;
}

const KIND_RE = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * The kinds of processing module this installation has. It never imports a vendor module: the
 * composition root registers each one (`registerGlobalSign(registry)`), so a new CA adds a folder
 * under src/modules/ and one line there.
 *
 * @example
 *   const registry = createModuleRegistry();
 *   registerGlobalSign(registry);
 *   const module = registry.create('globalsign', settings, { clock, logger: ctx.logger('pmglobalsign') });
 */
export interface ModuleRegistry {
  register(kind: ModuleKind): void;
  /** The kind, or PROVISIONING_MODULE_KIND_UNKNOWN listing the known ones. */
  get(kind: string): ModuleKind;
  has(kind: string): boolean;
  /** Registered kinds, in registration order. */
  list(): readonly ModuleKind[];
  create(kind: string, settings: ModuleSettings, deps: ModuleDeps): ProcessingModule;
}

export function createModuleRegistry(): ModuleRegistry {
  const kinds = new Map<string, ModuleKind>();
  const registry: ModuleRegistry = {
    register(def) {
      if (!KIND_RE.test(def.kind)) {
        throw new AppError(
          'PROVISIONING_INVALID_SETTINGS',
          `Module kind "${def.kind}" must be lower-case letters, digits and hyphens, starting with a letter.`,
          { field: 'kind' },
        );
      }
      if (kinds.has(def.kind)) {
        throw new AppError(
          'PROVISIONING_INVALID_SETTINGS',
          `Module kind "${def.kind}" is registered twice.`,
          {
            field: 'kind',
          },
        );
      }
      for (const [name, url] of Object.entries(def.endpoints)) {
        if (!URL.canParse(url)) {
          throw new AppError(
            'PROVISIONING_INVALID_SETTINGS',
            `Module kind "${def.kind}" has an invalid ${name} endpoint "${url}".`,
            { field: `endpoints.${name}` },
          );
        }
      }
      kinds.set(def.kind, Object.freeze({ ...def }));
    },
    get(kind) {
      const def = kinds.get(kind);
      if (!def) {
        const known = [...kinds.keys()];
        throw new AppError(
          'PROVISIONING_MODULE_KIND_UNKNOWN',
          `There is no processing module "${kind}"; installed: ${known.length ? known.join(', ') : 'none'}.`,
          { kind, known },
        );
      }
      return def;
    },
    has: (kind) => kinds.has(kind),
    list: () => [...kinds.values()],
    create: (kind, settings, deps) => registry.get(kind).create(settings, deps),
  };
  return registry;
}
