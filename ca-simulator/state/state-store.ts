import { mkdir, rename, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { emptyData, defaultPrices, type SimulatorData } from './simulator-data.ts';

/**
 * Holds the simulator's data in memory and, when given a file, writes it back atomically
 * (temporary file + rename), at most once per `debounceMs` and never on the request path.
 *
 * @example
 *   const store = StateStore.open('var/simulator.json');
 *   store.data.dns['example.com'] = ['globalsign-domain-verification=abc'];
 *   store.changed();
 *   await store.flush();
 */
export class StateStore {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly data: SimulatorData,
    readonly file: string | undefined,
    private readonly debounceMs: number,
  ) {}

  static open(file?: string, debounceMs = 500): StateStore {
    let data = emptyData();
    if (file && existsSync(file)) {
      const loaded = JSON.parse(readFileSync(file, 'utf8')) as Partial<SimulatorData>;
      if (loaded.version !== 1)
        throw new Error(`${file}: not a simulator state file (version ${String(loaded.version)})`);
      data = { ...emptyData(), ...loaded, prices: { ...defaultPrices(), ...loaded.prices } } as SimulatorData;
    }
    return new StateStore(data, file, debounceMs);
  }

  changed(): void {
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Writes pending changes now (used on close). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.write();
    }
    await this.writing;
  }

  private write(): Promise<void> {
    const file = this.file!;
    const text = JSON.stringify(this.data);
    this.writing = this.writing.then(async () => {
      await mkdir(path.dirname(path.resolve(file)), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, file);
    });
    return this.writing;
  }
}
