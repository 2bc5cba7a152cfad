// Runs the `dtrace` debug adapter in-process behind a loopback socket and connects
// @vscode/debugadapter-testsupport's DebugClient to it: the same protocol bytes as bin/dtvm-dap
// over stdio, without a build or a process per test.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DTraceDebugSession, type RuntimeFactory } from '../../server/src/debug/adapter/session';

export interface AdapterHarness {
  client: DebugClient;
  /** Every event the adapter sent, in order. */
  events: DebugProtocol.Event[];
  /**
   * The next event of that name not taken before, whether it already came or comes later
   * (DebugClient.waitForEvent misses events that arrive before it is called).
   */
  take(name: string, timeoutMs?: number): Promise<DebugProtocol.Event>;
  close(): Promise<void>;
}

export async function startAdapter(createRuntime: RuntimeFactory): Promise<AdapterHarness> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    const session = new DTraceDebugSession(createRuntime);
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  const client = new DebugClient('node', 'unused', 'dtrace');
  client.defaultTimeout = 10000;
  const events: DebugProtocol.Event[] = [];
  const taken = new Set<DebugProtocol.Event>();
  const waiters: { name: string; resolve: (e: DebugProtocol.Event) => void }[] = [];
  const emit = client.emit.bind(client);
  client.emit = (name: string | symbol, ...args: unknown[]) => {
    const e = args[0] as DebugProtocol.Event | undefined;
    if (typeof name === 'string' && e && e.type === 'event') {
      events.push(e);
      const w = waiters.findIndex((x) => x.name === e.event);
      if (w >= 0) {
        taken.add(e);
        waiters.splice(w, 1)[0]!.resolve(e);
      }
    }
    return emit(name, ...args);
  };
  const take = (name: string, timeoutMs = 10000) =>
    new Promise<DebugProtocol.Event>((resolve, reject) => {
      const ready = events.find((e) => e.event === name && !taken.has(e));
      if (ready) {
        taken.add(ready);
        resolve(ready);
        return;
      }
      const timer = setTimeout(() => reject(new Error(`no '${name}' event within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({ name, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  await client.start(port);
  return {
    client,
    events,
    take,
    async close() {
      await client.stop();
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Text of all output events of a category so far. */
export function outputOf(events: readonly DebugProtocol.Event[], category: string): string {
  return events
    .filter((e) => e.event === 'output' && (e.body?.category ?? 'console') === category)
    .map((e) => e.body.output as string)
    .join('');
}
