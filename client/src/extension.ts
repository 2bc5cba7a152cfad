/**
 * The extension's entry point: language detection for `.d` files, the language client, and
 * the `dtrace` debugger with its Run/Debug commands and CodeLens, the trace panel and inline
 * aggregation previews. Editing runs nothing, which
 * is why the extension declares itself usable (with limits) in untrusted workspaces; running
 * and debugging refuse there.
 */
import * as vscode from 'vscode';
import { registerLanguageDetection } from './detectOnOpen';
import { OnDemandLanguageClient } from './languageClient';
import { registerFlavourStatus } from './flavourStatus';
import { registerDebugging } from './debugging';
import { registerRunCommands } from './runScript';
import { registerScriptCodeLens } from './scriptCodeLens';
import { TracePanel } from './tracePanel/panel';
import { AggregationPreviews } from './tracePanel/aggregationPreviews';

let languageClient: OnDemandLanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('DTrace D', { log: true });
  languageClient = new OnDemandLanguageClient(context, log);
  context.subscriptions.push(log, registerLanguageDetection(log), languageClient, registerFlavourStatus(languageClient));
  registerDebugging(context);
  registerRunCommands(context);
  registerScriptCodeLens(context);
  tracePanel = new TracePanel(context);
  aggregationPreviews = new AggregationPreviews(context);
}

/** The trace panel and the inline previews (the e2e suite reads what they last showed). */
export let tracePanel: TracePanel | undefined;
export let aggregationPreviews: AggregationPreviews | undefined;

// VS Code waits for this promise, which lets the server shut down cleanly before the host goes.
export async function deactivate(): Promise<void> {
  const client = languageClient;
  languageClient = undefined;
  await client?.stop();
}
