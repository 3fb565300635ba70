import type { ErrorEntry } from '../catalogue.ts';

export const PANEL_ERRORS = {
  PANEL_USER_NOT_FOUND: {
    kind: 'not_found',
    doc: 'No staff user (or client user) has this e-mail address; check the address or add the user first.',
  },
  PANEL_PASSWORD_INVALID: {
    kind: 'validation',
    doc: 'The password is too short (under 10 characters) or too long (over 1024); choose another.',
  },
  PANEL_FORBIDDEN: {
    kind: 'forbidden',
    doc: 'The signed-in user may not open this panel page (a client on a staff page or the reverse), or the form was not sent with the session CSRF token; reload the page and send it again.',
  },
} as const satisfies Record<string, ErrorEntry>;
