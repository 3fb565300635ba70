/**
 * String builders for GlobalSign-shaped XML: one line, unqualified children, quotes and CR written as `&quot;` and `&#xD;`
 * (as CXF does for PEM with CRLF), `xsi:nil` with an inline namespace for absent values.
 *
 * @example
 *   el('Response', [el('OrderID', 'CE1'), nil('MetaTag')]);
 *   // '<Response><OrderID>CE1</OrderID><MetaTag xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/></Response>'
 */
export type Xml = string;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#xD;',
};

export function escapeText(value: string): string {
  return /[&<>"\r]/.test(value) ? value.replace(/[&<>"\r]/g, (c) => ESCAPES[c]!) : value;
}

export const XSI_NIL = ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"';

export function nil(name: string): Xml {
  return `<${name}${XSI_NIL}/>`;
}

/** An element with text (escaped) or child markup (an array, joined as is). */
export function el(name: string, body: string | number | boolean | Xml[]): Xml {
  const inner = Array.isArray(body) ? body.join('') : escapeText(String(body));
  return `<${name}>${inner}</${name}>`;
}

/** `el` for a value, `nil` when it is absent. */
export function opt(name: string, value: string | number | null | undefined): Xml {
  return value === null || value === undefined ? nil(name) : el(name, value);
}

/** `el` for a value, nothing when it is absent (optional, not nillable elements). */
export function maybe(name: string, value: string | number | null | undefined): Xml {
  return value === null || value === undefined ? '' : el(name, value);
}
