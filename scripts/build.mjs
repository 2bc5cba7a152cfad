// Bundles the three faces of the engine with esbuild: the VS Code client (cjs, `vscode`
// external), the language server and the dtvm command line. The grammar and tree-sitter
// runtime wasm files are copied beside the bundles, where server/src/parse/ looks for them.
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
];

mkdirSync(out, { recursive: true });
copyFileSync(join(root, 'tree-sitter-d/tree-sitter-d.wasm'), join(out, 'tree-sitter-d.wasm'));
copyFileSync(join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), join(out, 'web-tree-sitter.wasm'));
// The D library files (like /usr/lib/dtrace) and the probe catalogues of every flavour ship
// beside the bundles: dist/lib/dtrace, dist/lib/flavours/<flavour>/{dtrace,providers,...}.
rmSync(join(out, 'lib'), { recursive: true, force: true });
cpSync(join(root, 'server/lib'), join(out, 'lib'), { recursive: true, filter: (src) => !src.endsWith('.md') });

if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
}
