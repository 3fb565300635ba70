import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A web site on 127.0.0.1 that answers GlobalSign's HTTP domain check. */
export interface ValidationSite {
  /** `127.0.0.1:<port>`, what the simulator's host map wants. */
  address: string;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `content` at `/.well-known/pki-validation/gsdv.txt` (404 elsewhere) on 127.0.0.1, port 0.
 *
 * @example
 *   const site = await serveValidationFile(token);
 *   await control('hosts', { host: 'www.example.com', address: site.address });
 */
export async function serveValidationFile(content: string): Promise<ValidationSite> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/.well-known/pki-validation/gsdv.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(content);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
