// @peculiar/x509 loads tsyringe, which needs the Reflect metadata API before it is evaluated; the
// simulator reaches the library only through this module so the polyfill always comes first.
import 'reflect-metadata';

export { PemConverter } from '@peculiar/x509';
