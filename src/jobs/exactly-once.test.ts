import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { testDialects } from '../../test/support/databases.ts';
import type { TestContext } from '../../test/support/app.ts';
import { JobHandlers } from './job-handlers.ts';
import { enqueueJob, findJobByKey, listJobs } from './job-queue.ts';
import { jobsKysely } from './jobs-kysely.ts';
import { runDueJobs } from './run-due-jobs.ts';
import { createJobsTestContext } from './jobs-test-context.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe.each(testDialects())('exactly once across workers on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createJobsTestContext(dialect);
  });
  afterEach(async () => {
    await ctx.drop();
  });

  it('runs every job exactly once when 2 to 4 workers on separate connections claim at the same time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        async (jobCount, workerCount, concurrency) => {
          await jobsKysely(ctx.db.kysely).deleteFrom('jobs').execute();
          const now = ctx.clock.now();
          for (let i = 0; i < jobCount; i++) {
            await enqueueJob(ctx.db, {
              kind: 'reissue',
              key: `reissue:${i}:2`,
              payload: {},
              runAt: now,
              now,
            });
          }
          const runs = new Map<string, number>();
          const handlers = new JobHandlers().register('reissue', async (job) => {
            runs.set(job.key, (runs.get(job.key) ?? 0) + 1);
            await new Promise((r) => setTimeout(r, Math.random() * 3));
          });
          const workers = await Promise.all(
            Array.from({ length: workerCount }, () => openDatabase(ctx.db.url)),
          );
          try {
            const results = await Promise.all(
              workers.map((db, i) =>
                runDueJobs({ ...ctx, db }, handlers, { now, owner: `worker-${i}`, concurrency }),
              ),
            );
            const done = results.flatMap((r) => r.ran).filter((r) => r.outcome === 'done');
            expect(done).toHaveLength(jobCount);
          } finally {
            await Promise.all(workers.map((db) => db.close()));
          }
          expect(runs.size).toBe(jobCount);
          expect([...runs.values()].every((n) => n === 1)).toBe(true);
          expect((await listJobs(ctx.db, { state: 'done', limit: 1000 })).length).toBe(jobCount);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('takes over the job of a worker process killed with SIGKILL and finishes it exactly once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-kill-'));
    const runsFile = path.join(dir, 'runs.log');
    fs.writeFileSync(runsFile, '');
    try {
      const now = ctx.clock.now();
      const { job } = await enqueueJob(ctx.db, {
        kind: 'reissue',
        key: 'reissue:1:2',
        payload: {},
        runAt: now,
        now,
      });
      const child = spawn(
        process.execPath,
        ['bin/run-ts.js', 'src/jobs/fixtures/hanging-worker.ts', ctx.db.url, now.toISOString(), runsFile],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += String(chunk);
          if (out.includes(`started ${job.id}`)) resolve();
        });
        child.on('exit', () => reject(new Error(`the worker exited before it started the job: ${out}`)));
      });
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(await findJobByKey(ctx.db, 'reissue:1:2')).toMatchObject({ state: 'running', attempts: 1 });

      const handlers = new JobHandlers().register('reissue', async (j) => {
        fs.appendFileSync(runsFile, `start ${process.pid} ${j.id}\n`);
        fs.appendFileSync(runsFile, `finish ${process.pid} ${j.id}\n`);
      });
      expect((await runDueJobs(ctx, handlers, { now: ctx.clock.now() })).ran).toEqual([]);
      ctx.clock.advanceMs(5 * 60_000 + 1);
      const { ran } = await runDueJobs(ctx, handlers, { now: ctx.clock.now() });
      expect(ran.map((r) => r.outcome)).toEqual(['done']);
      ctx.clock.advanceMs(60 * 60_000);
      expect((await runDueJobs(ctx, handlers, { now: ctx.clock.now() })).ran).toEqual([]);

      const lines = fs.readFileSync(runsFile, 'utf8').trim().split('\n');
      expect(lines.map((l) => l.split(' ')[0])).toEqual(['start', 'start', 'finish']);
      expect(lines[0]!.split(' ')[1]).toBe(String(child.pid));
      expect(lines[2]).toBe(`finish ${process.pid} ${job.id}`);
      expect(await findJobByKey(ctx.db, 'reissue:1:2')).toMatchObject({ state: 'done', attempts: 2 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
