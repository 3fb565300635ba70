import { el, type Xml } from './xml-writer.ts';

/** The one namespace of every operation wrapper element. */
export const GS_NS = 'https://system.globalsign.com/kb/ws/v1/';
const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

/**
 * A CXF-style response envelope around `<ns2:{operation}Response>`.
 *
 * @example responseEnvelope('DVOrder', '<Response>…</Response>')
 *   // '<soap:Envelope xmlns:soap="…"><soap:Body><ns2:DVOrderResponse xmlns:ns2="https://system.globalsign.com/kb/ws/v1/"><Response>…'
 */
export function responseEnvelope(operation: string, response: Xml): string {
  return (
    `<soap:Envelope xmlns:soap="${SOAP_NS}"><soap:Body>` +
    `<ns2:${operation}Response xmlns:ns2="${GS_NS}">${response}</ns2:${operation}Response>` +
    `</soap:Body></soap:Envelope>`
  );
}

/** A SOAP 1.1 fault, as CXF sends for unparsable XML or an unknown wrapper element. */
export function faultEnvelope(faultcode: 'soap:Client' | 'soap:Server', faultstring: string): string {
  return (
    `<soap:Envelope xmlns:soap="${SOAP_NS}"><soap:Body><soap:Fault>` +
    el('faultcode', faultcode) +
    el('faultstring', faultstring) +
    `</soap:Fault></soap:Body></soap:Envelope>`
  );
}
