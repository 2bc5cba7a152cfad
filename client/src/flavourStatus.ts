/**
 * The target system of the active DTrace document, in the status bar ("D: FreeBSD (guessed)"),
 * from the server's `dtrace/flavour` notification; clicking it runs `dtrace.selectFlavour`,
 * which writes the `dtrace.flavour` setting.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DTRACE_LANGUAGE_ID } from './languagePolicy';
import { FLAVOUR_CHOICES, describeFlavour, type FlavourParams } from './flavourLabel';

export const FLAVOUR_NOTIFICATION = 'dtrace/flavour';
export const SELECT_FLAVOUR_COMMAND = 'dtrace.selectFlavour';

/** A source of language clients: the extension starts one on demand. */
export interface ClientSource {
  readonly current?: LanguageClient | undefined;
  readonly onDidCreateClient?: vscode.Event<LanguageClient>;
}

export function registerFlavourStatus(clients: ClientSource): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('dtrace.flavour', vscode.StatusBarAlignment.Right, 100);
  item.name = 'DTrace target system';
  item.command = SELECT_FLAVOUR_COMMAND;
  const byUri = new Map<string, FlavourParams>();
  const refresh = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const p = doc && doc.languageId === DTRACE_LANGUAGE_ID ? byUri.get(doc.uri.toString()) : undefined;
    if (!p) {
      item.hide();
      return;
    }
    const { text, tooltip } = describeFlavour(p);
    item.text = text;
    item.tooltip = tooltip;
    item.show();
  };
  const attach = (client: LanguageClient): void => {
    client.onNotification(FLAVOUR_NOTIFICATION, (p: FlavourParams) => {
      byUri.set(p.uri, p);
      refresh();
    });
  };
  if (clients.current) attach(clients.current);
  const subscriptions: vscode.Disposable[] = [
    item,
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.workspace.onDidCloseTextDocument((doc) => byUri.delete(doc.uri.toString())),
    vscode.commands.registerCommand(SELECT_FLAVOUR_COMMAND, selectFlavour),
  ];
  if (clients.onDidCreateClient) subscriptions.push(clients.onDidCreateClient(attach));
  return vscode.Disposable.from(...subscriptions);
}

/** Lets the user pick the flavour and writes it to the workspace's (or the user's) settings. */
async function selectFlavour(): Promise<void> {
  const config = vscode.workspace.getConfiguration('dtrace');
  const currentValue = config.get<string>('flavour') ?? 'auto';
  const picked = await vscode.window.showQuickPick(
    FLAVOUR_CHOICES.map((c) => ({ ...c, picked: c.value === currentValue, detail: c.value === currentValue ? 'current setting' : undefined })),
    { title: 'DTrace: target system of D scripts', placeHolder: 'The system whose probes, kernel types and D library scripts are checked against' },
  );
  if (!picked) return;
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('flavour', picked.value, target);
}
