/**
 * The extension's entry point: language detection for `.d` files and the language client.
 * Nothing here runs a script or a tool, which is why the extension declares itself usable
 * (with limits) in untrusted workspaces.
 */
import * as vscode from 'vscode';
import { registerLanguageDetection } from './detectOnOpen';
import { OnDemandLanguageClient } from './languageClient';
import { registerFlavourStatus } from './flavourStatus';

let languageClient: OnDemandLanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('DTrace D', { log: true });
  languageClient = new OnDemandLanguageClient(context, log);
  context.subscriptions.push(log, registerLanguageDetection(log), languageClient, registerFlavourStatus(languageClient));
}

// VS Code waits for this promise, which lets the server shut down cleanly before the host goes.
export async function deactivate(): Promise<void> {
  const client = languageClient;
  languageClient = undefined;
  await client?.stop();
}
