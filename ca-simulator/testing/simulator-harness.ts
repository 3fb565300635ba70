import { TestClock } from '../../src/core/clock.ts';
import { startSimulator, type RunningSimulator } from '../server.ts';
import type { SimulatorOptions } from '../simulator-options.ts';
import { RequestBodies } from './request-bodies.ts';
import { callSoap, type SoapAnswer } from './soap-client.ts';

export const USER = 'PAR12345_api';
export const PASSWORD = 'secret';

/** A simulator on 127.0.0.1:0 with a TestClock, plus shortcuts to call it. */
export interface Harness {
  sim: RunningSimulator;
  clock: TestClock;
  bodies: RequestBodies;
  ssl(operation: string, request: string): Promise<SoapAnswer>;
  gas(operation: string, request: string): Promise<SoapAnswer>;
  account(operation: string, request: string): Promise<SoapAnswer>;
  control(path: string, body?: unknown, method?: string): Promise<{ status: number; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function startHarness(options: Partial<SimulatorOptions> = {}): Promise<Harness> {
  const clock = new TestClock('2026-04-02T10:00:00Z');
  const sim = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    user: USER,
    password: PASSWORD,
    clock,
    ...options,
  });
  return {
    sim,
    clock: (options.clock as TestClock | undefined) ?? clock,
    bodies: new RequestBodies(USER, PASSWORD),
    ssl: (op, req) => callSoap(sim.baseUrl, 'ServerSSLService', op, req),
    gas: (op, req) => callSoap(sim.baseUrl, 'GASService', op, req),
    account: (op, req) => callSoap(sim.baseUrl, 'AccountService', op, req),
    control: async (path, body, method) => {
      const res = await fetch(sim.controlUrl + path, {
        method: method ?? (body === undefined ? 'GET' : 'POST'),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // HTML pages stay text.
      }
      return { status: res.status, json };
    },
  };
}
