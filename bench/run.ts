// Runs the benchmarks under bench/ (all, or those named on the command line) and prints one table.
// Each bench file default-exports an async function returning its figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, '')))
  .sort();

const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
console.log(
  `certbill benchmarks — ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, commit ${commit}`,
);
const results: Record<string, Figure[]> = {};
for (const file of files) {
  const mod = (await import(path.join(dir, file))) as { default: () => Promise<Figure[]> };
  const figures = await mod.default();
  results[file] = figures;
  console.log(`\n${file}`);
  for (const f of figures) {
    const value = f.value >= 100 ? f.value.toFixed(0) : f.value.toPrecision(3);
    console.log(`  ${f.name.padEnd(58)} ${value.padStart(10)} ${f.unit}${f.note ? `  (${f.note})` : ''}`);
  }
}
fs.mkdirSync('var', { recursive: true });
fs.writeFileSync('var/bench-results.json', JSON.stringify({ commit, results }, null, 2));
