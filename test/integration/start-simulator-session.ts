import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../ca-simulator/server.ts';
import { TestClock } from '../../src/core/clock.ts';
import { GlobalSignClient, type GlobalSignClientOptions } from '../../src/modules/globalsign/index.ts';

export const USER = 'PAR12345_api';
export const PASSWORD = 'secret';

/** One entry of the simulator's call log (`GET /_control/calls`). */
export interface SimulatorCall {
  operation: string;
  successCode: number | null;
  errorCodes?: string[];
  orderId?: string;
  fault?: string;
}

/**
 * A strict simulator on 127.0.0.1:0 with a TestClock, GlobalSign clients pointed at it, and its
 * control API. Every client it makes is closed by `close()`.
 */
export interface SimulatorSession {
  sim: RunningSimulator;
  clock: TestClock;
  /** A client for the session's account; retries do not wait. */
  client(options?: Partial<GlobalSignClientOptions>): GlobalSignClient;
  /** Calls `/_control/<path>` (POST when a body is given) and returns its JSON; throws on a non-2xx status. */
  control<T = Record<string, unknown>>(path: string, body?: unknown, method?: string): Promise<T>;
  /** SOAP calls the simulator received, oldest first, optionally only those of one operation. */
  calls(operation?: string): Promise<SimulatorCall[]>;
  close(): Promise<void>;
}

/**
 * @example
 *   const s = await startSimulatorSession({ balance: '2500.00', currency: 'EUR' });
 *   await s.client().accountSnapshot(); // { balance: '2500.00', currency: 'EUR', … }
 */
export async function startSimulatorSession(
  options: Partial<SimulatorOptions> = {},
): Promise<SimulatorSession> {
  const clock = new TestClock('2026-04-02T10:00:00Z');
  const sim = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    user: USER,
    password: PASSWORD,
    strict: true,
    clock,
    ...options,
  });
  const clients: GlobalSignClient[] = [];
  const control = async <T>(path: string, body?: unknown, method?: string): Promise<T> => {
    const res = await fetch(sim.controlUrl + path, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`control ${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  return {
    sim,
    clock,
    client: (overrides = {}) => {
      const client = new GlobalSignClient({
        baseUrl: sim.baseUrl,
        username: USER,
        password: PASSWORD,
        clock,
        ...overrides,
        retry: { baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {}, ...overrides.retry },
      });
      clients.push(client);
      return client;
    },
    control,
    calls: async (operation) => {
      const { calls } = await control<{ calls: SimulatorCall[] }>('calls');
      return operation ? calls.filter((c) => c.operation === operation) : calls;
    },
    close: async () => {
      for (const c of clients) c.close();
      await sim.close();
    },
  };
}
