import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { findGeneration } from './generation-repository.ts';
import { lifecycleKysely, type LifecycleContext } from './lifecycle-context.ts';

/** At most this many lines go into a task. */
export const EXCERPT_LINES = 20;
/** At most this much of the end of each log file is read. */
const TAIL_BYTES = 512 * 1024;

export interface LogExcerptInput {
  /** The log folder (`LogDir`). */
  readonly dir: string;
  /** The module's log name, e.g. `pmglobalsign` (the rotated `.1` file is read too). */
  readonly logName: string;
  /** A line concerns the order when it holds one of these (order ids, `service 7`, …). */
  readonly needles: readonly string[];
  readonly maxLines?: number;
}

/**
 * The last lines of a module's log that mention any of `needles`, oldest first: at most
 * `maxLines` (20), from at most the last 512 KiB of the log and of its last rotation. The logger
 * redacted secrets when it wrote them. A missing or unreadable file gives no lines.
 * @example readLogExcerpt({ dir: './var/log', logName: 'pmglobalsign', needles: ['CESM2604020001', 'service 7'] })
 *   → ['2026-04-02T12:00:00.000Z [4242] lifecycle WARNING place-order service 7 …']
 */
export function readLogExcerpt(input: LogExcerptInput): string[] {
  const needles = input.needles.filter((n) => n.length >= 3);
  if (needles.length === 0) return [];
  const file = path.join(input.dir, `${input.logName}.log`);
  const lines = [...tailLines(`${file}.1`), ...tailLines(file)];
  const matching = lines.filter((line) => needles.some((n) => mentions(line, n)));
  return matching.slice(-(input.maxLines ?? EXCERPT_LINES));
}

/** `service 7` must not match `service 71`; ids and names match as they are. */
function mentions(line: string, needle: string): boolean {
  let at = line.indexOf(needle);
  while (at >= 0) {
    const next = line.charAt(at + needle.length);
    if (!/[0-9A-Za-z]/.test(next)) return true;
    at = line.indexOf(needle, at + 1);
  }
  return false;
}

function tailLines(file: string): string[] {
  let fd: number | undefined;
  try {
    const size = statSync(file).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    fd = openSync(file, 'r');
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    // A read that starts mid-file starts mid-line: that first piece is dropped.
    if (length < size) lines.shift();
    return lines.filter((l) => l.trim() !== '');
  } catch {
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The part of a task body that quotes the module's log about one generation's order: the lines
 * that mention its CA order id, its reserved order id, `service <id>` or `generation <id>`. Empty
 * when the generation has no module yet or the log says nothing about it.
 * @example await failureLogExcerpt(ctx, { generationId: 3 })
 *   → '\n\nLast lines of pmglobalsign.log about this order:\n2026-04-02T12:00:00.000Z [4242] …'
 */
export async function failureLogExcerpt(
  ctx: LifecycleContext,
  input: { readonly generationId: number },
): Promise<string> {
  try {
    const generation = await findGeneration(ctx.db.kysely, input.generationId);
    if (!generation || generation.moduleId === null) return '';
    const row = await lifecycleKysely(ctx.db.kysely)
      .selectFrom('processing_modules')
      .select('kind')
      .where('id', '=', generation.moduleId)
      .executeTakeFirst();
    if (!row || !ctx.modules.has(row.kind)) return '';
    const logName = ctx.modules.get(row.kind).logName;
    const needles = [
      generation.caOrderId,
      generation.reservedOrderId,
      `service ${generation.serviceId}`,
      `generation ${input.generationId}`,
    ].filter((n): n is string => Boolean(n));
    const lines = readLogExcerpt({ dir: ctx.config.logDir, logName, needles });
    if (lines.length === 0) return '';
    return `\n\nLast lines of ${logName}.log about this order:\n${lines.join('\n')}`;
  } catch (e) {
    ctx.log.write(
      'warning',
      'lifecycle',
      `no log excerpt for generation ${input.generationId}: ${String(e)}`,
    );
    return '';
  }
}

/**
 * Writes one line about a generation's order to its module's log (the excerpt of a failure task
 * quotes such lines), e.g. `place-order service 7 generation 3 order CESM…: attempt 2/5 failed: …`.
 */
export async function logToModule(
  ctx: LifecycleContext,
  generationId: number,
  level: 'warning' | 'error',
  message: string,
): Promise<void> {
  const generation = await findGeneration(ctx.db.kysely, generationId);
  if (!generation || generation.moduleId === null) return;
  const row = await lifecycleKysely(ctx.db.kysely)
    .selectFrom('processing_modules')
    .select('kind')
    .where('id', '=', generation.moduleId)
    .executeTakeFirst();
  if (!row || !ctx.modules.has(row.kind)) return;
  const order = generation.caOrderId ?? generation.reservedOrderId;
  ctx
    .logger(ctx.modules.get(row.kind).logName)
    .write(
      level,
      'lifecycle',
      `service ${generation.serviceId} generation ${generation.id}${order ? ` order ${order}` : ''}: ${message}`,
    );
}
