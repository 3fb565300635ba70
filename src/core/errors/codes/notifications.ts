import type { ErrorEntry } from '../catalogue.ts';

export const NOTIFICATIONS_ERRORS = {
  NOTIFICATIONS_TEMPLATE_INVALID: {
    kind: 'validation',
    doc: 'A message template does not parse or does not render with its sample variables (a misspelt variable or filter, an unclosed tag, an include): nothing is saved. The message names the part and the line; `certbill mail templates show <template>` lists the variables.',
  },
  NOTIFICATIONS_TEMPLATE_UNKNOWN: {
    kind: 'not_found',
    doc: 'No message template has that id, or the language is not one certbill has templates in (en, es); `certbill mail templates list` shows them.',
  },
} as const satisfies Record<string, ErrorEntry>;
