/**
 * The language client for `dist/server.js`, started on demand: the extension also activates
 * for workspaces that merely contain `.d` files (often Makefile dependency files of a C build),
 * and those should not pay for a server process until a DTrace document is actually open.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { DTRACE_LANGUAGE_ID } from './languagePolicy';

const CLIENT_ID = 'dtrace';
/** The server's command for the code action "Show desugared clauses". */
const SHOW_DESUGARED = 'dtrace.showDesugaredClauses';
const CLIENT_NAME = 'DTrace D Language Server';
// Where "Attach to Server" in .vscode/launch.json looks for the server's inspector.
const DEBUG_PORT = 6009;

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  // Node IPC keeps stdout free for the server's own logging; the server detects the transport.
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', `--inspect=${DEBUG_PORT}`] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: DTRACE_LANGUAGE_ID },
      { scheme: 'untitled', language: DTRACE_LANGUAGE_ID },
    ],
    outputChannel: output,
    // The server reads `dtrace.*` per document through workspace/configuration (the client
    // answers it on its own); the first values also travel with initialize, and every change
    // is announced so the server re-analyzes open documents.
    initializationOptions: { dtrace: serverSettings() },
    synchronize: { configurationSection: 'dtrace' },
    middleware: {
      // "Show desugared clauses" returns D text: show it beside the script, read-only in spirit.
      async executeCommand(command, args, next) {
        const result: unknown = await next(command, args);
        const text = (result as { text?: unknown } | null)?.text;
        if (command === SHOW_DESUGARED && typeof text === 'string') {
          const doc = await vscode.workspace.openTextDocument({ language: DTRACE_LANGUAGE_ID, content: text });
          await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        }
        return result;
      },
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

/** The settings the server uses (package.json `contributes.configuration`). */
function serverSettings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration('dtrace');
  return {
    flavour: c.get('flavour'),
    options: c.get('options'),
    macroArguments: c.get('macroArguments'),
    includePaths: c.get('includePaths'),
    providerFiles: c.get('providerFiles'),
  };
}

/** Starts the client when the first `dtrace` document is open, and stops it on dispose. */
export class OnDemandLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private readonly watcher: vscode.Disposable;
  private readonly created = new vscode.EventEmitter<LanguageClient>();
  /** Fired with each client when it is created, before it starts (for notification handlers). */
  readonly onDidCreateClient = this.created.event;

  /** The client, once a DTrace document has been opened. */
  get current(): LanguageClient | undefined {
    return this.client;
  }

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.watcher = vscode.workspace.onDidOpenTextDocument((doc) => this.startFor(doc));
    vscode.workspace.textDocuments.forEach((doc) => this.startFor(doc));
  }

  private startFor(doc: vscode.TextDocument): void {
    if (this.starting || doc.languageId !== DTRACE_LANGUAGE_ID) return;
    // Editing without a server still has highlighting and language detection: say why, go on.
    const failed = (err: unknown): void => this.log.error(`The DTrace language server did not start: ${String(err)}`);
    try {
      const client = createLanguageClient(this.context, this.log);
      this.client = client;
      this.created.fire(client);
      this.starting = client.start().catch(failed);
    } catch (err) {
      this.starting = Promise.resolve();
      failed(err);
    }
  }

  async stop(): Promise<void> {
    this.watcher.dispose();
    this.created.dispose();
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // A client that is still starting cannot be stopped: let it finish (or fail) first.
    await this.starting;
    if (client.isRunning()) await client.stop();
  }

  dispose(): void {
    void this.stop();
  }
}
