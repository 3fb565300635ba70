/**
 * The known names nearest to a mistyped one (case-insensitive edit distance), best first.
 * @example closestNames('SSLSubscriptionBefor', ['SSLSubscriptionBefore', 'ListenPort']) → ['SSLSubscriptionBefore']
 */
export function closestNames(name: string, known: readonly string[], max = 3): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const near = known
    .map((k) => ({ k, d: editDistance(wanted, k.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d);
  // A clear winner hides the merely plausible: `ListenPrt` suggests ListenPort, not also LogDir.
  const best = near[0]?.d ?? 0;
  return near
    .filter(({ d }) => d <= best + 1)
    .slice(0, max)
    .map(({ k }) => k);
}

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}
