// Bundles the faces of the engine with esbuild: the VS Code client (cjs, `vscode` external,
// with the debug adapter inline), the language server, the dtvm command line and the
// standalone debug adapter, and the trace panel's page script for the browser. The grammar and tree-sitter runtime wasm files are copied beside
// the bundles, where server/src/parse/ looks for them.
import * as esbuild from 'esbuild';
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  // web-tree-sitter's ESM build needs import.meta.url, which a cjs bundle lacks: take its cjs build.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/dtvm.ts'], outfile: 'dist/dtvm.js' },
  // The debug adapter over stdio for DAP clients other than VS Code (bin/dtvm-dap).
  { entryPoints: ['server/src/debug/adapter/main.ts'], outfile: 'dist/dtvm-dap.js' },
];

// The trace panel's page script runs in the webview (a browser), not in node.
const webview = { ...common, platform: 'browser', target: 'es2022', format: 'iife', alias: {}, entryPoints: ['client/webview/tracePanel.ts'], outfile: 'dist/tracePanel.js' };

mkdirSync(out, { recursive: true });
copyFileSync(join(root, 'client/webview/tracePanel.css'), join(out, 'tracePanel.css'));
copyFileSync(join(root, 'tree-sitter-d/tree-sitter-d.wasm'), join(out, 'tree-sitter-d.wasm'));
copyFileSync(join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), join(out, 'web-tree-sitter.wasm'));
// The D library files (like /usr/lib/dtrace) and the probe catalogues of every flavour ship
// beside the bundles: dist/lib/dtrace, dist/lib/flavours/<flavour>/{dtrace,providers,...}.
rmSync(join(out, 'lib'), { recursive: true, force: true });
cpSync(join(root, 'server/lib'), join(out, 'lib'), { recursive: true, filter: (src) => !src.endsWith('.md') });

if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
  await (await esbuild.context(webview)).watch();
} else {
  await Promise.all([...entries.map((e) => esbuild.build({ ...common, ...e })), esbuild.build(webview)]);
}
