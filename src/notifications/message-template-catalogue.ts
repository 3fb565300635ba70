/** Every message certbill sends, by template id. */
export const MESSAGE_TEMPLATES = [
  'certificate-issued',
  'certificate-validation-required',
  'certificate-reissued',
  'certificate-expiring',
  'subscription-ending',
  'processing-error',
  'module-low-balance',
] as const;
export type MessageTemplateId = (typeof MESSAGE_TEMPLATES)[number];

/** The languages certbill ships templates in; English is the fallback of every other. */
export const MESSAGE_LANGUAGES = ['en', 'es'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];
export const FALLBACK_LANGUAGE: MessageLanguage = 'en';

/** One variable a template may use, with what it means and the value the save check renders with. */
export interface TemplateVariable {
  readonly name: string;
  readonly meaning: string;
  readonly example: unknown;
}

export interface MessageTemplateSpec {
  readonly template: MessageTemplateId;
  readonly title: string;
  /** `client`: the client's first user; `department`: the Department's address. */
  readonly audience: 'client' | 'department';
  readonly variables: readonly TemplateVariable[];
}

const certificate: readonly TemplateVariable[] = [
  { name: 'clientName', meaning: 'The client the certificate belongs to.', example: 'Example Ltd' },
  { name: 'serviceId', meaning: 'The service (subscription) id.', example: 7 },
  { name: 'commonName', meaning: "The certificate's common name (CN).", example: 'example.com' },
  {
    name: 'caOrderId',
    meaning: "The CA's order id of the certificate (null while the CA has not answered).",
    example: 'CESM2604020001',
  },
  { name: 'names', meaning: 'The other names (SANs) concerned, a list.', example: ['www.example.com'] },
  {
    name: 'expirationDate',
    meaning: "The certificate's expiration date, YYYY-MM-DD (null when not known).",
    example: '2026-10-19',
  },
];

const actionNeeded = (example: boolean, meaning: string): TemplateVariable => ({
  name: 'actionNeeded',
  meaning,
  example,
});

const department: TemplateVariable = {
  name: 'departmentName',
  meaning: 'The Department the message goes to (null when it has none).',
  example: 'Certificates',
};

/**
 * What each template is for and the variables it may use (`strictVariables`: any other name is
 * refused when a template is saved). A variable with nothing to say is null, never absent.
 */
export const MESSAGE_TEMPLATE_SPECS: Readonly<Record<MessageTemplateId, MessageTemplateSpec>> = {
  'certificate-issued': {
    template: 'certificate-issued',
    title: 'Certificate issued',
    audience: 'client',
    variables: [
      ...certificate,
      { name: 'paidUntil', meaning: 'The end of the paid period, YYYY-MM-DD.', example: '2031-04-02' },
      actionNeeded(false, 'Always false: the certificate is ready to download.'),
    ],
  },
  'certificate-validation-required': {
    template: 'certificate-validation-required',
    title: 'Validation needed',
    audience: 'client',
    variables: [
      ...certificate,
      {
        name: 'validation',
        meaning:
          'What to do: `method` (email, http, dns or null when the CA has not said yet), `approverEmail` (email), `httpPath`, `httpContent`, `httpHosts` (http: serve the content at http://<host><path>), `dnsNames`, `dnsValue` (dns: publish a TXT record with the value at one of the names).',
        example: {
          method: 'dns',
          approverEmail: null,
          httpPath: null,
          httpContent: null,
          httpHosts: [],
          dnsNames: ['example.com'],
          dnsValue: 'globalsign-domain-verification=2f1c…',
        },
      },
      actionNeeded(true, 'Always true: the certificate is not issued until the names are validated.'),
    ],
  },
  'certificate-reissued': {
    template: 'certificate-reissued',
    title: 'Certificate reissued',
    audience: 'client',
    variables: [
      ...certificate,
      {
        name: 'previousCaOrderId',
        meaning: "The CA's order id of the certificate this one replaces.",
        example: 'CESM2603150007',
      },
      actionNeeded(
        false,
        'False when certbill holds the key (nothing to do but install); true when the client must install it.',
      ),
    ],
  },
  'certificate-expiring': {
    template: 'certificate-expiring',
    title: 'Certificate expiring (manual reissue policy)',
    audience: 'client',
    variables: [...certificate, actionNeeded(true, 'Always true: the client reissues the certificate.')],
  },
  'subscription-ending': {
    template: 'subscription-ending',
    title: 'Subscription ending (renewal offer)',
    audience: 'client',
    variables: [
      ...certificate,
      { name: 'paidUntil', meaning: 'The end of the paid period, YYYY-MM-DD.', example: '2026-11-30' },
      { name: 'daysLeft', meaning: 'Whole days until the paid period ends.', example: 30 },
      actionNeeded(true, 'Always true: renew the service to keep the certificate.'),
    ],
  },
  'processing-error': {
    template: 'processing-error',
    title: 'Processing error (to the Department)',
    audience: 'department',
    variables: [
      ...certificate,
      department,
      {
        name: 'title',
        meaning: 'One line: what failed.',
        example: 'Certificate order CESM2604020001 for example.com rejected',
      },
      {
        name: 'message',
        meaning: 'What happened and what a person must do.',
        example:
          'The CA rejected the validation of order CESM2604020001 for example.com (service 7): domain not validated',
      },
      actionNeeded(true, 'Always true: a person must look at the task.'),
    ],
  },
  'module-low-balance': {
    template: 'module-low-balance',
    title: 'Processing module low balance (to the Department)',
    audience: 'department',
    variables: [
      department,
      { name: 'moduleId', meaning: 'The processing module id.', example: 1 },
      { name: 'moduleName', meaning: 'The processing module name.', example: 'GlobalSign' },
      {
        name: 'balance',
        meaning: 'The CA account balance read, formatted with its currency.',
        example: '400.00 USD',
      },
      { name: 'minBalance', meaning: "The module's minimal balance, formatted.", example: '500.00 USD' },
      {
        name: 'readAt',
        meaning: 'When the balance was read, ISO 8601 UTC.',
        example: '2026-04-02T12:00:00.000Z',
      },
      actionNeeded(true, 'Always true: top up the CA account.'),
    ],
  },
};

/** The variables a template renders with when saved: each documented variable's example. */
export function sampleVariables(template: MessageTemplateId): Record<string, unknown> {
  return Object.fromEntries(MESSAGE_TEMPLATE_SPECS[template].variables.map((v) => [v.name, v.example]));
}

/**
 * Gives every documented variable a value, so strict rendering never trips on absence: a missing
 * list is `[]`, a missing object has each of its fields empty, anything else missing is null.
 */
export function completeVariables(
  template: MessageTemplateId,
  variables: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const complete: Record<string, unknown> = {};
  for (const v of MESSAGE_TEMPLATE_SPECS[template].variables) {
    const given = variables[v.name];
    complete[v.name] = isRecord(v.example)
      ? { ...(emptyLike(v.example) as Record<string, unknown>), ...(isRecord(given) ? given : {}) }
      : (given ?? emptyLike(v.example));
  }
  return complete;
}

function emptyLike(example: unknown): unknown {
  if (Array.isArray(example)) return [];
  if (isRecord(example))
    return Object.fromEntries(Object.entries(example).map(([k, v]) => [k, emptyLike(v)]));
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isMessageTemplateId(value: string): value is MessageTemplateId {
  return (MESSAGE_TEMPLATES as readonly string[]).includes(value);
}

export function isMessageLanguage(value: string): value is MessageLanguage {
  return (MESSAGE_LANGUAGES as readonly string[]).includes(value);
}
