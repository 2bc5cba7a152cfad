// The `dtrace` debugger in VS Code: the adapter runs inline in the extension host (the same
// DTraceDebugSession class bin/dtvm-dap serves over stdio), F5 on a .d file with no launch.json
// gets a configuration from the settings, and nothing runs in an untrusted workspace.
//
// The one place the client imports server/src: the language server runs in its own process,
// but the debug adapter is deliberately in-process (no second node process per session).
import * as vscode from 'vscode';
import { DTraceDebugSession } from '../../server/src/debug/adapter/session';
import { createRuntime } from '../../server/src/debug/adapter/runtimeFactory';
import { dtvmArguments, launchConfigurationFor, type DTraceLaunchConfiguration, type FiringsSourceSetting, type RunSettings } from './runConfiguration';
import { liveCaptureConfirmation, runRefusal, untrustedMessage } from './trust';

export { untrustedMessage };

export const DEBUG_TYPE = 'dtrace';

export function runSettingsFor(uri: vscode.Uri): RunSettings {
  const c = vscode.workspace.getConfiguration('dtrace', uri);
  return {
    firingsSource: c.get<FiringsSourceSetting>('firingsSource') ?? {},
    options: c.get<Record<string, string | number | boolean>>('options') ?? {},
    macroArguments: c.get<string[]>('macroArguments') ?? [],
    flavour: c.get<string>('flavour') ?? 'auto',
    providerFiles: c.get<string[]>('providerFiles') ?? [],
  };
}

/** A launch configuration for a document, from the settings of its workspace folder. */
export function configurationForDocument(doc: vscode.TextDocument, name: string): DTraceLaunchConfiguration {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const config = launchConfigurationFor(doc.uri.fsPath, folder?.uri.fsPath, runSettingsFor(doc.uri), name);
  // The editor's text, saved or not, is what the user means to debug.
  if (doc.isDirty) config.text = doc.getText();
  return config;
}

/**
 * A live capture starts only once the user has seen exactly what runs and said yes (a modal
 * dialog; in the output channel too when one is given). true: go ahead.
 */
export async function confirmLiveCapture(config: DTraceLaunchConfiguration, log?: vscode.OutputChannel): Promise<boolean> {
  const ask = liveCaptureConfirmation(config, dtvmArguments(config));
  if (ask === undefined) return true;
  log?.appendLine(`${ask.message}\n${ask.detail}`);
  const answer = await vscode.window.showWarningMessage(ask.message, { modal: true, detail: ask.detail }, ask.accept);
  if (answer !== ask.accept) log?.appendLine('[live capture not started: not confirmed]');
  return answer === ask.accept;
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [
      { type: DEBUG_TYPE, request: 'launch', name: 'Debug D script on a trace', program: '${file}', trace: '${workspaceFolder}/trace.ndjson', stopOnEntry: false },
    ];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const refused = runRefusal(vscode.workspace.isTrusted);
    if (refused !== undefined) {
      void vscode.window.showErrorMessage(refused);
      return undefined;
    }
    const editor = vscode.window.activeTextEditor;
    if (!config.type && !config.request && !config.name) {
      // F5 with no launch.json: debug the D file in the editor with the settings' firings source.
      if (!editor || editor.document.languageId !== 'dtrace') {
        void vscode.window.showErrorMessage('DTrace: open a D script to debug it, or add a "dtrace" configuration to launch.json.');
        return undefined;
      }
      return { ...configurationForDocument(editor.document, `Debug ${editor.document.fileName.split(/[\\/]/).pop()}`) };
    }
    if (!config.program && editor?.document.languageId === 'dtrace') config.program = editor.document.uri.fsPath;
    if (!config.program) {
      void vscode.window.showErrorMessage('DTrace: the launch configuration needs a "program" (the .d file).');
      return undefined;
    }
    return config;
  }

  // After ${...} substitution, so the dialog shows the real command: a live capture from
  // launch.json, the settings or another extension's startDebugging is confirmed first.
  async resolveDebugConfigurationWithSubstitutedVariables(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (runRefusal(vscode.workspace.isTrusted) !== undefined) return undefined;
    return (await confirmLiveCapture(config as DTraceLaunchConfiguration)) ? config : undefined;
  }
}

export function registerDebugging(context: vscode.ExtensionContext): void {
  const factory: vscode.DebugAdapterDescriptorFactory = {
    createDebugAdapterDescriptor: () => {
      // The last gate: however a session was started (launch.json, another extension, a
      // configuration provider that did not run), no adapter in an untrusted workspace.
      const refused = runRefusal(vscode.workspace.isTrusted);
      if (refused !== undefined) throw new Error(refused);
      // ProtocolServer is a structural copy of vscode.DebugAdapter.
      return new vscode.DebugAdapterInlineImplementation(new DTraceDebugSession(createRuntime) as unknown as vscode.DebugAdapter);
    },
  };
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider()),
  );
}
