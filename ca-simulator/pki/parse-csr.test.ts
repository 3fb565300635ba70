import { describe, expect, it } from 'vitest';
import { makeCsr } from '../testing/make-csr.ts';
import { CsrRejected, parseCsr } from './parse-csr.ts';

function rejection(pem: string): string | undefined {
  try {
    parseCsr(pem);
    return undefined;
  } catch (e) {
    return e instanceof CsrRejected ? e.code : 'other';
  }
}

describe('parseCsr', () => {
  it('reads the subject and key length of RSA 2048, P-256 and P-384 requests', () => {
    const rsa = parseCsr(makeCsr('www.example.com', 'rsa2048', { O: 'Example Ltd', C: 'US' }));
    expect(rsa.subject).toEqual({ CN: 'www.example.com', O: 'Example Ltd', C: 'US' });
    expect([rsa.keyType, rsa.keyLength]).toEqual(['rsa', 2048]);
    expect(parseCsr(makeCsr('a.example.com', 'p256')).keyLength).toBe(256);
    expect(parseCsr(makeCsr('a.example.com', 'p384')).keyLength).toBe(384);
  });

  it('refuses weak RSA keys with -9936 and other curves with -9961', () => {
    expect(rejection(makeCsr('a.example.com', 'rsa1024'))).toBe('-9936');
    expect(rejection(makeCsr('a.example.com', 'secp256k1'))).toBe('-9961');
  });

  it('refuses garbage and a tampered signature with -4007', () => {
    expect(rejection('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----')).toBe(
      '-4007',
    );
    expect(rejection('not a csr')).toBe('-4007');
    const pem = makeCsr('a.example.com', 'p256');
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 5] = der[der.length - 5]! ^ 0xff;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(rejection(tampered)).toBe('-4007');
  });
});
