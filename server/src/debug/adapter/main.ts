// bin/dtvm-dap: the `dtrace` debug adapter over stdio for any DAP client (nvim-dap, Emacs
// dap-mode...), or on a TCP port with `--server=PORT` (one session per connection).
import { createServer } from 'node:net';
import { DTraceDebugSession } from './session';
import { createRuntime } from './runtimeFactory';

// stdout carries the protocol: a stray console.log from anywhere would corrupt it.
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);

const port = process.argv.slice(2).map((a) => /^--server=(\d+)$/.exec(a)?.[1]).find((p) => p !== undefined);
if (port !== undefined) {
  createServer((socket) => {
    const session = new DTraceDebugSession(createRuntime);
    session.setRunAsServer(true);
    session.start(socket, socket);
  }).listen(Number(port), '127.0.0.1', () => console.error(`dtvm-dap: waiting for DAP clients on 127.0.0.1:${port}`));
} else {
  const session = new DTraceDebugSession(createRuntime);
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}
