// The trace panel's extension side: one webview panel that shows the state a `dtrace` debug
// session publishes (custom DAP event `dtrace.panel`, body = PanelState) and moves the
// debugger when the user picks a firing (custom request `dtrace.gotoFiring`). The page loads
// only our own script and stylesheet, by nonce, under a Content-Security-Policy with no remote
// content and no inline code.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PanelMessage, PanelRequest, PanelState } from '../../../server/src/debug/panelModel';
import { panelPage } from './page';

export const PANEL_EVENT = 'dtrace.panel';
export const GOTO_REQUEST = 'dtrace.gotoFiring';

export class TracePanel {
  private panel: vscode.WebviewPanel | undefined;
  private latest: PanelState | undefined;
  private session: vscode.DebugSession | undefined;
  private ready = false;

  constructor(private readonly context: vscode.ExtensionContext) {
    context.subscriptions.push(
      vscode.commands.registerCommand('dtrace.showTracePanel', () => this.show()),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type !== 'dtrace' || e.event !== PANEL_EVENT) return;
        this.session = e.session;
        this.latest = e.body as PanelState;
        this.post();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s === this.session && this.latest) {
          this.latest = { ...this.latest, running: false, current: undefined };
          this.post();
        }
      }),
    );
  }

  /** The state last shown (tests read it). */
  get state(): PanelState | undefined {
    return this.latest;
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('dtrace.tracePanel', 'DTrace Trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
      retainContextWhenHidden: true,
    });
    this.panel = panel;
    this.ready = false;
    panel.webview.html = pageHtml(panel.webview, dist);
    panel.webview.onDidReceiveMessage((m: PanelRequest) => {
      if (m.type === 'ready') {
        this.ready = true;
        this.post();
      } else if (m.type === 'goto' && this.session) {
        void this.session.customRequest(GOTO_REQUEST, { firing: m.firing }).then(undefined, (e: unknown) => {
          void vscode.window.showWarningMessage(`DTrace: cannot move to firing ${m.firing}: ${e instanceof Error ? e.message : String(e)}`);
        });
      }
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
    });
  }

  private post(): void {
    if (!this.panel || !this.ready || !this.latest) return;
    const message: PanelMessage = { type: 'state', state: this.latest };
    void this.panel.webview.postMessage(message);
  }
}

/** The page: our script and stylesheet by nonce; nothing else may load or run. */
export function pageHtml(webview: { cspSource: string; asWebviewUri(u: vscode.Uri): vscode.Uri }, dist: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'tracePanel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'tracePanel.css'));
  return panelPage({ nonce, cspSource: webview.cspSource, script: script.toString(), style: style.toString() });
}
