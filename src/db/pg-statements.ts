import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** How many distinct statement texts get a name; later ones run unnamed (parsed each time). */
export const PG_NAMED_STATEMENTS = 300;

/** How many texts seen once are remembered while waiting for their second call. */
const SEEN_ONCE_LIMIT = 2_000;

/**
 * Hands Kysely a pool whose connections prepare each parameterised statement once, by name, and
 * then only bind and execute it. PostgreSQL parses and plans an unnamed statement on every call;
 * for the panel's list query that was half of the server's time per call (about 1.2 ms of 2 on
 * PostgreSQL 15). A statement's name comes from its SQL text (values are always parameters), the
 * same on every connection. A text is named on its second call, so one-off texts (a migration's,
 * an IN list of an unusual length) do not take a place, and at most {@link PG_NAMED_STATEMENTS}
 * texts are named so each server connection keeps a bounded number of prepared statements.
 *
 * A prepared statement can go stale when another process changes a table under it (a migration
 * while this one runs): PostgreSQL answers "cached plan must not change result type". The call is
 * then run again unnamed on the same connection — outside a transaction only, since inside one the
 * error has already aborted it — and the connection is closed when released, so the next one
 * prepares afresh.
 *
 * Without parameters a query goes through the simple protocol untouched (a migration's script
 * with several statements needs it).
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const seenOnce = new Set<string>();
  const nameOf = (text: string): string | undefined => {
    const known = names.get(text);
    if (known !== undefined || names.size >= PG_NAMED_STATEMENTS) return known;
    if (!seenOnce.has(text)) {
      if (seenOnce.size >= SEEN_ONCE_LIMIT) seenOnce.clear();
      seenOnce.add(text);
      return undefined;
    }
    seenOnce.delete(text);
    const name = `certbill_${names.size + 1}`;
    names.set(text, name);
    return name;
  };
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let own = wrapped.get(client);
      if (!own) {
        own = preparingClient(client, nameOf);
        wrapped.set(client, own);
      }
      return own;
    },
    end: () => pool.end(),
  };
}

function preparingClient(
  client: pg.PoolClient,
  nameOf: (text: string) => string | undefined,
): PostgresPoolClient {
  let inTransaction = false;
  let stale = false;
  const query = async (text: string, parameters: ReadonlyArray<unknown> = []) => {
    if (parameters.length === 0) {
      const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase();
      if (verb === 'begin' || verb === 'start') inTransaction = true;
      else if (verb === 'commit' || verb === 'rollback' || verb === 'end' || verb === 'abort')
        inTransaction = false;
      return client.query(text);
    }
    const values = parameters as unknown[];
    const name = stale ? undefined : nameOf(text);
    if (name === undefined) return client.query(text, values);
    try {
      return await client.query({ name, text, values });
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      stale = true;
      if (inTransaction) throw error;
      return client.query(text, values);
    }
  };
  return {
    // The dialect has no cursor class, so Kysely never passes a cursor here (no streaming).
    query: query as unknown as PostgresPoolClient['query'],
    // A connection with a stale statement is closed, never handed out again.
    release: (destroy?: boolean) => client.release(destroy || stale),
  };
}

/** PostgreSQL's refusal of a prepared statement that a table change has made stale. */
function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    (e.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '')) ||
    (e.code === '26000' && /prepared statement .* does not exist/.test(e.message ?? ''))
  );
}
