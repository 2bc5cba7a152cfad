// A JSON-RPC client for tests: spawns the real `bin/dtrace-language-server --stdio` (the bundle
// in dist/, so run `node scripts/build.mjs` first) and speaks LSP to it over the process's
// pipes, no mocks. It answers the server's own requests (workspace/configuration from
// `settings`, capability registration, progress) the way an editor would, and records every
// notification so tests can wait for the one they expect.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  Diagnostic,
  InitializeResult,
  Position,
  Range,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

const repo = join(__dirname, '..', '..');

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export interface StartOptions {
  /** Sent as `initializationOptions` (the server reads settings from it as from `dtrace.*`). */
  initializationOptions?: unknown;
  /** What `workspace/configuration` answers for section `dtrace` (may be changed later). */
  settings?: Record<string, unknown>;
  /** Client capabilities; the default declares workspace/configuration and pull-free diagnostics. */
  capabilities?: ClientCapabilities;
  /** Extra arguments after `--stdio`. */
  args?: string[];
  /** Options for node itself, before the server's path (`--cpu-prof`, `--inspect`). */
  nodeArgs?: string[];
}

export interface LspClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  readonly initializeResult: InitializeResult;
  /** Every publishDiagnostics, in arrival order. */
  readonly published: PublishedDiagnostics[];
  /** Every notification from the server (method and params), in arrival order. */
  readonly notifications: { method: string; params: unknown }[];
  /** The answer to `workspace/configuration` for section `dtrace`; assign to change it. */
  settings: Record<string, unknown>;

  /** Opens a document (languageId `dtrace`, version 1 unless given). Returns the uri. */
  open(uri: string, text: string, version?: number): Promise<string>;
  /** Opens `text` under a fresh `file:///test/<n>.d` uri. */
  openNew(text: string, name?: string): Promise<string>;
  /** Sends one didChange with these content changes (ranges in UTF-16 columns). */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void>;
  /** Replaces the whole text (a full-text content change). */
  replace(uri: string, version: number, text: string): Promise<void>;
  close(uri: string): Promise<void>;
  /** Tells the server its settings changed (it re-reads `workspace/configuration`). */
  changeSettings(settings: Record<string, unknown>): Promise<void>;

  /**
   * The diagnostics published for `uri`: for exactly `version` when given, else the first
   * publish after the last call for that uri (or the latest one already received).
   */
  diagnostics(uri: string, version?: number, timeoutMs?: number): Promise<Diagnostic[]>;
  /** Waits for a server notification whose params satisfy `match`. */
  notification<P>(method: string, match?: (params: P) => boolean, timeoutMs?: number): Promise<P>;
  request<R>(method: string, params: unknown): Promise<R>;

  /** shutdown + exit, then waits for the process to end (kills it after 2 s). */
  stop(): Promise<void>;
}

let counter = 0;

export async function startLanguageServer(options: StartOptions = {}): Promise<LspClient> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(repo, 'bin', 'dtrace-language-server'), '--stdio', ...(options.args ?? [])], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishedDiagnostics[] = [];
  const notifications: { method: string; params: unknown }[] = [];
  const waiters = new Set<() => void>();
  let exited = false;
  child.once('exit', () => {
    exited = true;
    wake();
  });
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };
  const consumedUpTo = new Map<string, number>();

  const client = {
    connection,
    process: child,
    published,
    notifications,
    settings: options.settings ?? {},
  } as { -readonly [K in keyof LspClient]: LspClient[K] };

  connection.onNotification((method: string, params: unknown) => {
    notifications.push({ method, params });
    if (method === 'textDocument/publishDiagnostics') published.push(params as PublishedDiagnostics);
    wake();
  });
  connection.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) =>
    params.items.map((item) => (item.section === 'dtrace' || item.section === undefined ? client.settings : null)),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('client/unregisterCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('window/showMessageRequest', (params: unknown) => {
    notifications.push({ method: 'window/showMessageRequest', params });
    wake();
    return null;
  });
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.onRequest('workspace/semanticTokens/refresh', () => null);
  connection.onRequest('workspace/inlayHint/refresh', () => null);
  connection.listen();

  const until = async <T>(find: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> => {
    const found = find();
    if (found !== undefined) return found;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${stderr ? `\nserver stderr:\n${stderr}` : ''}`));
      }, timeoutMs);
      const check = (): void => {
        const f = find();
        if (f === undefined && !exited) return;
        clearTimeout(timer);
        waiters.delete(check);
        if (f !== undefined) resolve(f);
        else reject(new Error(`the language server exited while waiting for ${what}\n${stderr}`));
      };
      waiters.add(check);
    });
  };

  client.initializeResult = (await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: options.capabilities ?? {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, workspaceFolders: false },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
        synchronization: { didSave: false, dynamicRegistration: false },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'source'] } } },
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        rename: { prepareSupport: true },
      },
      general: { positionEncodings: ['utf-16'] },
    },
    initializationOptions: options.initializationOptions,
  })) as InitializeResult;
  await connection.sendNotification('initialized', {});

  client.open = async (uri, text, version = 1) => {
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dtrace', version, text } });
    return uri;
  };
  client.openNew = (text, name) => client.open(`file:///test/${name ?? `doc-${process.pid}-${++counter}`}.d`, text);
  client.change = async (uri, version, contentChanges) => {
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  };
  client.replace = (uri, version, text) => client.change(uri, version, [{ text }]);
  client.close = async (uri) => {
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  };
  client.changeSettings = async (settings) => {
    client.settings = settings;
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: { dtrace: settings } });
  };
  client.diagnostics = async (uri, version, timeoutMs) => {
    if (version !== undefined) {
      const index = await until(
        () => {
          const i = published.findIndex((x) => x.uri === uri && x.version === version);
          return i === -1 ? undefined : i;
        },
        `diagnostics of ${uri} version ${version}`,
        timeoutMs,
      );
      consumedUpTo.set(uri, Math.max(index, consumedUpTo.get(uri) ?? -1));
      return published[index]!.diagnostics;
    }
    const from = consumedUpTo.get(uri) ?? -1;
    const index = await until(
      () => {
        for (let i = published.length - 1; i > from; i--) if (published[i]!.uri === uri) return i;
        return undefined;
      },
      `diagnostics of ${uri}`,
      timeoutMs,
    );
    consumedUpTo.set(uri, index);
    return published[index]!.diagnostics;
  };
  client.notification = <P>(method: string, match?: (params: P) => boolean, timeoutMs?: number) =>
    until(() => notifications.find((n) => n.method === method && (!match || match(n.params as P)))?.params as P | undefined, `notification ${method}`, timeoutMs);
  client.request = <R>(method: string, params: unknown) => connection.sendRequest(method, params) as Promise<R>;
  client.stop = async () => {
    if (child.exitCode === null) {
      const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const timer = setTimeout(() => child.kill(), 2000);
      try {
        await Promise.race([connection.sendRequest('shutdown'), ended]);
        await connection.sendNotification('exit');
      } catch {
        child.kill();
      }
      await ended;
      clearTimeout(timer);
    }
    connection.dispose();
  };
  return client as LspClient;
}

/** An LSP position. */
export const pos = (line: number, character: number): Position => ({ line, character });
/** An LSP range on one line (or ending on `endLine`). */
export const span = (line: number, start: number, end: number, endLine = line): Range => ({
  start: { line, character: start },
  end: { line: endLine, character: end },
});
