import http from 'node:http';
import ipaddr from 'ipaddr.js';

/**
 * Fetches `http://<host>/.well-known/pki-validation/gsdv.txt` through the simulator's host map.
 * Only hosts mapped to a loopback address are contacted, so no traffic leaves the machine;
 * anything else resolves to undefined (the caller answers -4147).
 *
 * @example await fetchValidationFile('example.com', { 'example.com': '127.0.0.1:8080' }) // file text
 */
export async function fetchValidationFile(
  host: string,
  hosts: Record<string, string>,
): Promise<string | undefined> {
  const target = hosts[host.toLowerCase()];
  if (!target) return undefined;
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(target);
  if (!m || !isLoopback(m[1]!)) return undefined;
  const [address, port] = [m[1]!, Number(m[2])];
  return new Promise((resolve) => {
    const req = http.get(
      { host: address, port, path: '/.well-known/pki-validation/gsdv.txt', headers: { host }, timeout: 3000 },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          resolve(undefined);
          return;
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body.length > 65_536) req.destroy();
        });
        res.on('end', () => resolve(body));
        res.on('error', () => resolve(undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

export function isLoopback(address: string): boolean {
  if (address === 'localhost') return true;
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  return ip.range() === 'loopback';
}
