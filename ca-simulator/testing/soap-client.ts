import { XMLParser } from 'fast-xml-parser';

/**
 * A tiny SOAP caller for tests and benchmarks: builds GlobalSign-style request envelopes and
 * parses answers into plain objects.
 *
 * @example
 *   const r = await callSoap(baseUrl, 'GASService', 'GetOrderByOrderID',
 *     `${auth('QueryRequestHeader', 'u', 'p')}<OrderID>CE1</OrderID>`);
 *   r.response.OrderResponseHeader.SuccessCode // 0
 */
export function envelope(operation: string, requestXml: string): string {
  return (
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1="https://system.globalsign.com/kb/ws/v1/">' +
    `<soap:Body><v1:${operation}><Request>${requestXml}</Request></v1:${operation}></soap:Body></soap:Envelope>`
  );
}

export function auth(
  header: 'OrderRequestHeader' | 'QueryRequestHeader',
  user: string,
  password: string,
): string {
  return `<${header}><AuthToken><UserName>${user}</UserName><Password>${password}</Password></AuthToken></${header}>`;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  htmlEntities: true,
  parseTagValue: false,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface SoapAnswer {
  status: number;
  text: string;
  /** The `Response` element (or the Fault), parsed. */
  response: Loose;
}

export async function postSoap(url: string, body: string): Promise<SoapAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body,
  });
  const text = await res.text();
  const doc = parser.parse(text) as Loose;
  const bodyNode = doc?.Envelope?.Body ?? {};
  const wrapper = Object.entries(bodyNode).find(([k]) => !k.startsWith('@_'));
  const inner = wrapper?.[1] as Loose;
  return { status: res.status, text, response: wrapper?.[0] === 'Fault' ? inner : inner?.Response };
}

export function callSoap(
  baseUrl: string,
  service: string,
  operation: string,
  requestXml: string,
): Promise<SoapAnswer> {
  return postSoap(baseUrl + service, envelope(operation, requestXml));
}
