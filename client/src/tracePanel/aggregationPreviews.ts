// Inline previews of aggregations while a `dtrace` debug session runs or is stopped: after each
// aggregation statement, its current contents (top keys, or a sparkline of a histogram), and a
// hover with the whole table. Fed by the same `dtrace.panel` events as the trace panel.
import * as vscode from 'vscode';
import type { PanelAggregation, PanelState } from '../../../server/src/debug/panelModel';
import { PANEL_EVENT } from './panel';
import { hoverMarkdown, inlinePreview } from './previewText';

export class AggregationPreviews implements vscode.HoverProvider {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  /** The script's path and the aggregations last published for it. */
  private current: { program: string; aggregations: PanelAggregation[] } | undefined;
  /** What each editor of the script last showed, by file path: the 1-based line and its preview text (tests read it). */
  readonly shown = new Map<string, { line: number; text: string }[]>();

  constructor(context: vscode.ExtensionContext) {
    context.subscriptions.push(
      this.decoration,
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type !== 'dtrace' || e.event !== PANEL_EVENT) return;
        const program = String(e.session.configuration.program ?? '');
        this.current = { program, aggregations: (e.body as PanelState).aggregations };
        this.refresh();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.type === 'dtrace') {
          // The last contents stay until the next run: they are what the run ended with.
          this.refresh();
        }
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refresh()),
      vscode.languages.registerHoverProvider({ language: 'dtrace' }, this),
    );
  }

  private editorsOfScript(): vscode.TextEditor[] {
    if (!this.current) return [];
    return vscode.window.visibleTextEditors.filter((e) => e.document.uri.fsPath === this.current!.program);
  }

  refresh(): void {
    for (const editor of this.editorsOfScript()) {
      const options: vscode.DecorationOptions[] = [];
      for (const a of this.current!.aggregations) {
        if (a.line === undefined || a.line < 1 || a.line > editor.document.lineCount) continue;
        const line = editor.document.lineAt(a.line - 1);
        options.push({
          range: new vscode.Range(line.range.end, line.range.end),
          renderOptions: { after: { contentText: inlinePreview(a) } },
        });
      }
      editor.setDecorations(this.decoration, options);
      this.shown.set(
        editor.document.uri.fsPath,
        options.map((o) => ({ line: o.range.start.line + 1, text: o.renderOptions?.after?.contentText ?? '' })),
      );
    }
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.current || document.uri.fsPath !== this.current.program) return undefined;
    const range = document.getWordRangeAtPosition(position, /@[A-Za-z_0-9]*/);
    if (!range) return undefined;
    const name = document.getText(range);
    const a = this.current.aggregations.find((x) => x.name === name);
    if (!a) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(hoverMarkdown(a)), range);
  }
}
