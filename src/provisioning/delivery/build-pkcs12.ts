import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

let engine: pkijs.CryptoEngine | null = null;

function cryptoEngine(): pkijs.CryptoEngine {
  engine ??= new pkijs.CryptoEngine({
    name: 'node',
    crypto: webcrypto as unknown as pkijs.CryptoEngineParameters['crypto'],
  });
  return engine;
}

function derOf(pem: string): ArrayBuffer {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const buf = Buffer.from(b64, 'base64');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

function utf8(text: string): ArrayBuffer {
  const buf = Buffer.from(text, 'utf8');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

export interface Pkcs12Input {
  readonly certificatePem: string;
  readonly chainPems: readonly string[];
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  readonly password: string;
  /** The friendly name of the key and certificate, e.g. the common name. */
  readonly friendlyName: string;
}

const ITERATIONS = 100_000;

/**
 * A PKCS#12 file (DER) holding the key (PKCS#8 shrouded with PBES2: PBKDF2-HMAC-SHA-256 and
 * AES-256-CBC), the certificate and its chain (encrypted the same way), with an HMAC-SHA-256
 * integrity MAC; OpenSSL 1.1+ and 3.x read it.
 * @example await buildPkcs12({ certificatePem, chainPems, privateKeyPem, password: 'secret', friendlyName: 'example.com' })
 */
export async function buildPkcs12(input: Pkcs12Input): Promise<Buffer> {
  const crypto = cryptoEngine();
  const password = utf8(input.password);
  const localKeyId = new Uint8Array(await webcrypto.subtle.digest('SHA-1', derOf(input.certificatePem)));
  const attributes = (withKeyId: boolean) => [
    new pkijs.Attribute({
      type: '1.2.840.113549.1.9.20',
      values: [new asn1js.BmpString({ value: input.friendlyName })],
    }),
    ...(withKeyId
      ? [
          new pkijs.Attribute({
            type: '1.2.840.113549.1.9.21',
            values: [new asn1js.OctetString({ valueHex: localKeyId.buffer as ArrayBuffer })],
          }),
        ]
      : []),
  ];
  const keyBag = new pkijs.PKCS8ShroudedKeyBag({
    parsedValue: pkijs.PrivateKeyInfo.fromBER(derOf(input.privateKeyPem)),
  });
  const certBags = [input.certificatePem, ...input.chainPems].map(
    (pem, i) =>
      new pkijs.SafeBag({
        bagId: '1.2.840.113549.1.12.10.1.3',
        bagValue: new pkijs.CertBag({ parsedValue: pkijs.Certificate.fromBER(derOf(pem)) }),
        ...(i === 0 ? { bagAttributes: attributes(true) } : {}),
      }),
  );
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            {
              privacyMode: 0,
              value: new pkijs.SafeContents({
                safeBags: [
                  new pkijs.SafeBag({
                    bagId: '1.2.840.113549.1.12.10.1.2',
                    bagValue: keyBag,
                    bagAttributes: attributes(true),
                  }),
                ],
              }),
            },
            { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certBags }) },
          ],
        },
      }),
    },
  });
  const encryption = {
    password,
    contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 },
    hmacHashAlgorithm: 'SHA-256',
    iterationCount: ITERATIONS,
  };
  await keyBag.makeInternalValues(encryption, crypto);
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new Error('PKCS#12: the authenticated safe is missing');
  await safe.makeInternalValues({ safeContents: [{}, encryption] }, crypto);
  await pfx.makeInternalValues(
    { password, iterations: ITERATIONS, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' },
    crypto,
  );
  return Buffer.from(pfx.toSchema().toBER(false));
}
