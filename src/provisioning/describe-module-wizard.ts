import { CONNECTION_FAILURE_TITLE, CONNECTION_HINTS } from './connection-failure.ts';
import type { ProvisioningContext } from './provisioning-context.ts';
import { hostAddresses } from './read-module-fields.ts';

export interface WizardChoice {
  readonly value: string;
  readonly label: string;
}

export interface WizardField {
  /** The key in `addProcessingModule`'s input (and the API body). */
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly type: 'select' | 'text' | 'password' | 'checkbox' | 'integer' | 'amount';
  readonly required: boolean;
  readonly choices?: readonly WizardChoice[];
  readonly default?: string | number | boolean;
}

export interface WizardStep {
  readonly id: 'product-type' | 'processing-module' | 'integration' | 'parameters' | 'check';
  readonly title: string;
  readonly fields: readonly WizardField[];
  readonly description?: string;
}

export interface ModuleWizard {
  readonly steps: readonly WizardStep[];
  /** The module kinds installed, e.g. `[{ kind: 'globalsign', title: 'GlobalSign', productType: 'ssl' }]`. */
  readonly kinds: readonly { readonly kind: string; readonly title: string; readonly productType: string }[];
  /** This host's addresses, the choices of "IP address" besides "none". */
  readonly ipAddresses: readonly string[];
  /** What a failed check says: the title and the three hints. */
  readonly failure: { readonly message: string; readonly hints: readonly string[] };
}

const PRODUCT_TYPES: readonly WizardChoice[] = [{ value: 'ssl', label: 'SSL certificates' }];

/**
 * The processing module wizard as data a panel or a script can walk: product type → processing
 * module → integration settings (Username, Password, Demo, IP address) → module parameters (Name,
 * Department, Sort, Processing module minimal balance) → connection check. Submitting it is one call
 * to `addProcessingModule` with the fields' `name`s.
 *
 * @example (await describeModuleWizard(ctx)).steps.map((s) => s.title)
 *   // ['Product type', 'Processing module', 'Configuring integration', 'Parameters of the service processing module', 'Check connection']
 */
export async function describeModuleWizard(ctx: ProvisioningContext): Promise<ModuleWizard> {
  const kinds = ctx.modules.list();
  const departments = await ctx.db.kysely
    .selectFrom('departments')
    .select(['id', 'name'])
    .orderBy('name')
    .execute();
  const ipAddresses = hostAddresses(ctx.provisioningSettings);
  return {
    steps: [
      {
        id: 'product-type',
        title: 'Product type',
        fields: [
          {
            name: 'productType',
            label: 'Product type',
            description: 'Select "SSL certificates".',
            type: 'select',
            required: true,
            choices: PRODUCT_TYPES,
            default: 'ssl',
          },
        ],
      },
      {
        id: 'processing-module',
        title: 'Processing module',
        fields: [
          {
            name: 'kind',
            label: 'Processing module',
            description: 'Select "GlobalSign".',
            type: 'select',
            required: true,
            choices: kinds.map((k) => ({ value: k.kind, label: k.title })),
          },
        ],
      },
      {
        id: 'integration',
        title: 'Configuring integration',
        fields: [
          {
            name: 'username',
            label: 'Username',
            description: 'User in GlobalSign system.',
            type: 'text',
            required: true,
          },
          {
            name: 'password',
            label: 'Password',
            description: 'Access password to system API.',
            type: 'password',
            required: true,
          },
          {
            name: 'demo',
            label: 'Demo',
            description: 'You can use demo access to test ordering.',
            type: 'checkbox',
            required: false,
            default: false,
          },
          {
            name: 'sourceAddress',
            label: 'IP address',
            description: 'IP address to be used to send API requests.',
            type: 'select',
            required: false,
            choices: [{ value: 'none', label: 'none' }, ...ipAddresses.map((a) => ({ value: a, label: a }))],
            default: 'none',
          },
        ],
      },
      {
        id: 'parameters',
        title: 'Parameters of the service processing module',
        fields: [
          {
            name: 'name',
            label: 'Name',
            description: 'The name of the processing module to be displayed in the interface.',
            type: 'text',
            required: true,
          },
          {
            name: 'department',
            label: 'Department',
            description: 'The department to which tasks from the processing module will be assigned.',
            type: 'select',
            required: false,
            choices: departments.map((d) => ({ value: String(d.id), label: d.name })),
          },
          {
            name: 'sort',
            label: 'Sort',
            description:
              "The processing module's priority: if more than one processing module is connected to a tariff plan, the one with the lowest value is selected first when creating the service.",
            type: 'integer',
            required: false,
            default: 1,
          },
          {
            name: 'minBalance',
            label: 'Processing module minimal balance',
            description:
              "The minimum amount on the account in the Certification Authority's system to purchase services; below it the Department is notified.",
            type: 'amount',
            required: false,
          },
        ],
      },
      {
        id: 'check',
        title: 'Check connection',
        description:
          'The Certification Authority is called with the settings above; the module is saved only if the call succeeds.',
        fields: [],
      },
    ],
    kinds: kinds.map((k) => ({ kind: k.kind, title: k.title, productType: k.productType })),
    ipAddresses,
    failure: { message: CONNECTION_FAILURE_TITLE, hints: [...CONNECTION_HINTS] },
  };
}
