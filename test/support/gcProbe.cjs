// Preloaded into a server process by memory tests (`node --expose-gc --require gcProbe.cjs
// server.js`): on SIGUSR2 it collects garbage twice and writes process.memoryUsage() as JSON to
// the file named by DTRACE_TEST_MEMORY_FILE. Test-only: nothing the server ships loads it.
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.DTRACE_TEST_MEMORY_FILE;
if (file && typeof global.gc === 'function') {
  process.on('SIGUSR2', () => {
    global.gc();
    // A second pass after the finalizers of the first (tree-sitter trees free wasm memory then).
    setTimeout(() => {
      global.gc();
      writeFileSync(file, JSON.stringify({ ...process.memoryUsage(), at: Date.now() }));
    }, 50);
  });
}
