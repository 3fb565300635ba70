import type { LogLevelName } from './module-logger.ts';

/**
 * One entry, one line: `<ISO timestamp> [<pid>] <facility> <LEVEL> <message>`. Line breaks and
 * other control characters in the message are written as `\n`, `\r`, `\xHH` (tabs stay), so an
 * entry never spans lines and a message cannot forge another entry.
 *
 * @example formatLogLine(new Date('2026-04-02T12:00:00Z'), 4242, 'soap', 'request', 'DVOrder\nok')
 *   → '2026-04-02T12:00:00.000Z [4242] soap REQUEST DVOrder\\nok\n'
 */
export function formatLogLine(
  at: Date,
  pid: number,
  facility: string,
  level: LogLevelName,
  message: string,
): string {
  return `${at.toISOString()} [${pid}] ${escapeControls(facility).replace(/ /g, '_')} ${level.toUpperCase()} ${escapeControls(message)}\n`;
}

function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
