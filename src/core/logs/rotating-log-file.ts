import { appendFileSync, existsSync, renameSync, statSync } from 'node:fs';

/** How many rotated files are kept: `x.log.1` (newest) … `x.log.5` (oldest). */
export const KEPT_ROTATIONS = 5;

/**
 * A log file written by synchronous appends. When an entry would take it past `maxSize` bytes it is
 * renamed to `x.log.1` (older ones shift up, the oldest is dropped) and a new file starts. The size
 * is read from the file at each write, so several processes sharing a log see each other's writes.
 * An entry larger than `maxSize` still goes into an otherwise empty file.
 */
export class RotatingLogFile {
  constructor(
    readonly path: string,
    private readonly keep = KEPT_ROTATIONS,
  ) {}

  append(line: string, maxSize: number): void {
    if (maxSize > 0) {
      const size = statSync(this.path, { throwIfNoEntry: false })?.size ?? 0;
      if (size > 0 && size + Buffer.byteLength(line) > maxSize) this.rotate();
    }
    appendFileSync(this.path, line, { mode: 0o640 });
  }

  private rotate(): void {
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = `${this.path}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.path}.${i + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);
  }
}
