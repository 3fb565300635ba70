import ipaddr from 'ipaddr.js';

/**
 * Whether a caller's address is on an account's allow-list (addresses or CIDR ranges; empty
 * list = any). IPv4-mapped IPv6 addresses count as their IPv4 form.
 *
 * @example isAllowed(['127.0.0.1', '10.0.0.0/8'], '::ffff:10.1.2.3') // true
 */
export function isAllowed(allowList: string[], remoteAddress: string | undefined): boolean {
  if (allowList.length === 0) return true;
  if (!remoteAddress || !ipaddr.isValid(remoteAddress)) return false;
  const remote = ipaddr.process(remoteAddress);
  return allowList.some((entry) => {
    try {
      if (entry.includes('/')) {
        const [range, bits] = ipaddr.parseCIDR(entry);
        return remote.kind() === range.kind() && remote.match([range, bits] as [typeof remote, number]);
      }
      return ipaddr.process(entry).toString() === remote.toString();
    } catch {
      return false;
    }
  });
}
