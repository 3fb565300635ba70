const PASSWORD = /(<(?:[\w.-]+:)?Password(?:\s[^>]*)?>)[\s\S]*?(<\/(?:[\w.-]+:)?Password>)/g;
const PKCS12 = /(<(?:[\w.-]+:)?PKCS12Cert(?:\s[^>]*)?>)[\s\S]*?(<\/(?:[\w.-]+:)?PKCS12Cert>)/g;
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/**
 * Removes what must never reach a log: the password, PKCS#12 bundles and PEM private keys
 * (an unterminated key block is cut to the end of the text).
 *
 * @example
 *   redactSoap('<Password>s3cret</Password>'); // '<Password>***</Password>'
 */
export function redactSoap(xml: string): string {
  return xml.replace(PASSWORD, '$1***$2').replace(PKCS12, '$1***$2').replace(PRIVATE_KEY, '***');
}
