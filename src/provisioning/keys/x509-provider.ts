import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

let ready = false;

/** The x509 library with Node's WebCrypto as its crypto provider (set once, on first use). */
export function x509Lib(): typeof x509 {
  if (!ready) {
    x509.cryptoProvider.set(globalThis.crypto);
    ready = true;
  }
  return x509;
}
