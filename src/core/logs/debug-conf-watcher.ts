import { readFileSync, statSync } from 'node:fs';
import type { Clock } from '../clock.ts';
import { parseDebugConf, DEFAULT_MAX_LOG_SIZE, type DebugConf } from './parse-debug-conf.ts';

const CHECK_EVERY_MS = 1000;
const NO_FILE: DebugConf = Object.freeze({ rules: [], maxLogSize: DEFAULT_MAX_LOG_SIZE, errors: [] });

/**
 * The debug.conf in force, re-read without a restart: `current()` looks at the file's stat at most
 * once per second of the clock and parses it again when it changed. A missing file means defaults;
 * an unreadable one keeps the last good settings. New problems go to `report` once.
 */
export class DebugConfWatcher {
  private conf: DebugConf = NO_FILE;
  private stamp: string | undefined;
  private lastCheck = Number.NEGATIVE_INFINITY;
  private readonly reported = new Set<string>();

  constructor(
    readonly path: string,
    private readonly clock: Clock,
    private readonly report: (problems: string[]) => void,
  ) {}

  current(): DebugConf {
    const now = this.clock.now().getTime();
    // A clock set backwards (the demo clock) must not stop re-reading until it catches up.
    if (now - this.lastCheck >= CHECK_EVERY_MS || now < this.lastCheck) {
      this.lastCheck = now;
      this.refresh();
    }
    return this.conf;
  }

  private refresh(): void {
    const st = statSync(this.path, { throwIfNoEntry: false });
    const stamp = st ? `${st.mtimeMs}:${st.ctimeMs}:${st.size}:${st.ino}` : 'missing';
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    if (!st) {
      this.conf = NO_FILE;
      return;
    }
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      this.warn([`${this.path}: cannot be read (${(e as Error).message}); keeping the previous levels`]);
      return;
    }
    this.conf = parseDebugConf(text, this.path);
    this.warn(this.conf.errors);
  }

  private warn(problems: readonly string[]): void {
    const fresh = problems.filter((p) => !this.reported.has(p));
    fresh.forEach((p) => this.reported.add(p));
    if (fresh.length) this.report(fresh);
  }
}
