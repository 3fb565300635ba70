import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL the tests may create databases on; empty when only SQLite runs. */
    pgUrl: string;
  }
}

let server: ThrowawayPostgres | undefined;

/**
 * Every database test runs on SQLite and on PostgreSQL. PostgreSQL comes from CERTBILL_TEST_PG_URL
 * or, by default, a throwaway server started here. CERTBILL_TEST_DIALECTS=sqlite runs SQLite alone
 * (and says so), for a machine without PostgreSQL.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dialects = (process.env.CERTBILL_TEST_DIALECTS ?? 'sqlite,postgres').split(',');
  let url = '';
  if (dialects.includes('postgres')) {
    url = process.env.CERTBILL_TEST_PG_URL ?? '';
    if (!url) {
      server = await startThrowawayPostgres();
      url = server.url;
    }
  } else {
    console.warn('CERTBILL_TEST_DIALECTS excludes postgres: database tests run on SQLite only.');
  }
  project.provide('pgUrl', url);
  return () => server?.stop();
}
