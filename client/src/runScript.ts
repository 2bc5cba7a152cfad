// "DTrace: Run Script" runs the bundled dtvm on the script and the configured firings source
// and streams what it prints to the "DTrace Run" output channel; cancelling sends SIGINT, which
// dtvm treats like dtrace's Ctrl-C (END fires, aggregations print). "DTrace: Debug Script"
// starts a `dtrace` debug session. Neither runs in an untrusted workspace, and a live capture
// (`command`/`pid`) starts only after the user confirmed the exact command line it runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { configurationForDocument, confirmLiveCapture } from './debugging';
import { describeSource, dtvmArguments } from './runConfiguration';
import { commandLine, runRefusal } from './trust';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

async function documentFor(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(uri);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.languageId === 'dtrace') return doc;
  void vscode.window.showErrorMessage('DTrace: open a D script to run it.');
  return undefined;
}

export function registerRunCommands(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('DTrace Run');
  const dtvm = context.asAbsolutePath('dist/dtvm.js');
  // Runs still going when the extension goes (window reload or close) end with it, like a
  // Ctrl-C, then for good: a script with no firings source waits for a signal forever, and a
  // live capture's command would outlive us.
  const running = new Set<ChildProcess>();
  const endAll = (): void => {
    for (const child of running) {
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    }
  };

  const run = async (uri?: vscode.Uri): Promise<RunResult | undefined> => {
    const refused = runRefusal(vscode.workspace.isTrusted);
    if (refused !== undefined) {
      void vscode.window.showErrorMessage(refused);
      return undefined;
    }
    const doc = await documentFor(uri);
    if (!doc) return undefined;
    if (doc.isDirty && !(await doc.save())) return undefined;
    const config = configurationForDocument(doc, `Run ${basename(doc.fileName)}`);
    const args = dtvmArguments(config);
    channel.show(true);
    // A live capture (`command`/`pid`) starts only after the user confirmed the exact command.
    if (!(await confirmLiveCapture(config, channel))) return undefined;
    channel.appendLine(`$ ${commandLine(args)}    # ${describeSource(config)}`);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `DTrace: running ${basename(doc.fileName)}`, cancellable: true },
      (_progress, token) =>
        new Promise<RunResult>((resolve) => {
          // The extension host's executable is node when ELECTRON_RUN_AS_NODE is set.
          const child = spawn(process.execPath, [dtvm, ...args], {
            cwd: config.cwd ?? dirname(config.program),
            env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          running.add(child);
          let stdout = '';
          let stderr = '';
          child.stdout.setEncoding('utf8').on('data', (s: string) => ((stdout += s), channel.append(s)));
          child.stderr.setEncoding('utf8').on('data', (s: string) => ((stderr += s), channel.append(s)));
          token.onCancellationRequested(() => child.kill('SIGINT'));
          child.on('error', (e) => {
            running.delete(child);
            channel.appendLine(`dtvm could not start: ${e.message}`);
            resolve({ status: 127, stdout, stderr: stderr + e.message });
          });
          child.on('close', (code, signal) => {
            running.delete(child);
            const status = code ?? (signal ? 128 : 1);
            channel.appendLine(`[dtvm exited with status ${status}]`);
            resolve({ status, stdout, stderr });
          });
        }),
    );
  };

  const debug = async (uri?: vscode.Uri, stopAtLine?: number): Promise<boolean> => {
    const refused = runRefusal(vscode.workspace.isTrusted);
    if (refused !== undefined) {
      void vscode.window.showErrorMessage(refused);
      return false;
    }
    const doc = await documentFor(uri);
    if (!doc) return false;
    const config = configurationForDocument(doc, `Debug ${basename(doc.fileName)}`);
    if (stopAtLine !== undefined) config.stopAtLine = stopAtLine;
    return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(doc.uri), { ...config });
  };

  context.subscriptions.push(
    channel,
    { dispose: endAll },
    vscode.commands.registerCommand('dtrace.runScript', run),
    vscode.commands.registerCommand('dtrace.debugScript', debug),
  );
}
