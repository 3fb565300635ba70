/** One setting line of a billmgr.conf-style file. `value` is undefined for a bare flag. */
export interface ConfEntry {
  readonly line: number;
  readonly name: string;
  readonly value: string | undefined;
}

export interface ConfLineProblem {
  readonly line: number;
  readonly message: string;
}

/**
 * Splits the platform's configuration format into entries, without knowing any option.
 * Accepted: `Name Value`, `Option Name`, `Option Name Value`, whole-line `#` comments, trailing
 * comments after whitespace (`ListenPort 8080  # panel`), blank lines. The value is the rest of the
 * line, so a `#` inside a value is kept when it does not follow whitespace.
 *
 * @example parseConfLines('Option SSLSubscriptionPolicy auto\nOption MaintenanceMode')
 *   → entries [{line: 1, name: 'SSLSubscriptionPolicy', value: 'auto'}, {line: 2, name: 'MaintenanceMode', value: undefined}]
 */
export function parseConfLines(text: string): { entries: ConfEntry[]; problems: ConfLineProblem[] } {
  const entries: ConfEntry[] = [];
  const problems: ConfLineProblem[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = i + 1;
      const content = stripComment(raw).trim();
      if (!content) return;
      const [first = '', rest = ''] = splitWord(content);
      if (first !== 'Option') {
        entries.push({ line, name: first, value: rest || undefined });
        return;
      }
      const [name, value] = splitWord(rest);
      if (!name)
        problems.push({ line, message: 'Option needs a name: e.g. Option SSLSubscriptionPolicy auto' });
      else entries.push({ line, name, value: value || undefined });
    });
  return { entries, problems };
}

function stripComment(raw: string): string {
  if (/^\s*#/.test(raw)) return '';
  const at = raw.search(/\s#/);
  return at < 0 ? raw : raw.slice(0, at);
}

function splitWord(text: string): [string, string] {
  const m = /^(\S*)\s*(.*)$/.exec(text);
  return [m?.[1] ?? '', (m?.[2] ?? '').trim()];
}
