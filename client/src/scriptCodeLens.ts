// "Run | Debug" above a D script and above each of its clauses (clauses as the language
// server's document symbols name them). A clause's Debug stops at the first firing that runs
// it. No lenses in an untrusted workspace, where nothing may run.
import * as vscode from 'vscode';

class ScriptCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.isTrusted) return [];
    const symbols =
      (await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri).then(
        (s) => s,
        () => undefined,
      )) ?? [];
    const clauses = symbols.filter((s) => s.kind === vscode.SymbolKind.Event);
    const lenses: vscode.CodeLens[] = [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (!clauses.some((c) => c.range.start.line === 0)) {
      lenses.push(
        new vscode.CodeLens(top, { title: 'Run', command: 'dtrace.runScript', arguments: [doc.uri], tooltip: 'Run the script on the configured firings source (dtrace.firingsSource)' }),
        new vscode.CodeLens(top, { title: 'Debug', command: 'dtrace.debugScript', arguments: [doc.uri], tooltip: 'Debug the script on the configured firings source' }),
      );
    }
    for (const c of clauses) {
      const at = new vscode.Range(c.range.start, c.range.start);
      lenses.push(
        new vscode.CodeLens(at, { title: 'Run', command: 'dtrace.runScript', arguments: [doc.uri], tooltip: 'Run the script on the configured firings source' }),
        new vscode.CodeLens(at, {
          title: 'Debug',
          command: 'dtrace.debugScript',
          arguments: [doc.uri, c.range.start.line + 1],
          tooltip: `Debug the script, stopping at the first firing of ${c.name}`,
        }),
      );
    }
    return lenses;
  }
}

export function registerScriptCodeLens(context: vscode.ExtensionContext): void {
  const provider = new ScriptCodeLens();
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ language: 'dtrace' }, provider),
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),
  );
}
