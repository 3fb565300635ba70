import { ResponseFormatError, type XmlNode } from './soap-reader.ts';

const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;
const BALANCE_NAME = /balance|amount|deposit|credit|funds/i;
const HEADERS = new Set(['OrderResponseHeader', 'QueryResponseHeader']);

export interface AccountBalance {
  readonly balance: string;
  readonly currency?: string;
  readonly element: string;
}

/**
 * The one mapping from an AccountSnapshot `Response` to a balance. GlobalSign's element names are not
 * public: `AccountSnapshot/Balance` + `AccountSnapshot/Currency` is read first; otherwise the first
 * decimal outside the header (elements named like a balance win) and any three-letter currency code.
 *
 * @example
 *   readAccountBalance(response); // { balance: '1000.00', currency: 'USD', element: 'AccountSnapshot/Balance' }
 */
export function readAccountBalance(response: XmlNode): AccountBalance {
  const decimals: { path: string; value: string; named: boolean }[] = [];
  let currency: string | undefined;
  const walk = (node: XmlNode, path: string): void => {
    for (const [name, value] of Object.entries(node)) {
      if (name.startsWith('@_') || name === '#text' || (path === '' && HEADERS.has(name))) continue;
      const here = path ? `${path}/${name}` : name;
      for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
        const text =
          typeof item === 'string'
            ? item
            : typeof item === 'object' && item
              ? (item as XmlNode)['#text']
              : undefined;
        if (typeof text === 'string') {
          const t = text.trim();
          if (DECIMAL.test(t)) decimals.push({ path: here, value: t, named: BALANCE_NAME.test(name) });
          else if (CURRENCY.test(t) && (currency === undefined || /currency/i.test(name))) currency = t;
        }
        if (typeof item === 'object' && item) walk(item as XmlNode, here);
      }
    }
  };
  walk(response, '');
  const found =
    decimals.find((d) => d.path === 'AccountSnapshot/Balance') ??
    decimals.find((d) => d.named) ??
    decimals[0];
  if (!found) throw new ResponseFormatError('no balance in AccountSnapshotResponse');
  return currency
    ? { balance: found.value, currency, element: found.path }
    : { balance: found.value, element: found.path };
}
