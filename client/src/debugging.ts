// The `dtrace` debugger in VS Code: the adapter runs inline in the extension host (the same
// DTraceDebugSession class bin/dtvm-dap serves over stdio), F5 on a .d file with no launch.json
// gets a configuration from the settings, and nothing runs in an untrusted workspace.
//
// The one place the client imports server/src: the language server runs in its own process,
// but the debug adapter is deliberately in-process (no second node process per session).
import * as vscode from 'vscode';
import { DTraceDebugSession } from '../../server/src/debug/adapter/session';
import { createRuntime } from '../../server/src/debug/adapter/runtimeFactory';
import { launchConfigurationFor, type DTraceLaunchConfiguration, type FiringsSourceSetting, type RunSettings } from './runConfiguration';

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

export function untrustedMessage(): string {
  return 'DTrace: running or debugging a script needs a trusted workspace (Manage Workspace Trust).';
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [
      { type: DEBUG_TYPE, request: 'launch', name: 'Debug D script on a trace', program: '${file}', trace: '${workspaceFolder}/trace.ndjson', stopOnEntry: false },
    ];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage(untrustedMessage());
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
}

export function registerDebugging(context: vscode.ExtensionContext): void {
  const factory: vscode.DebugAdapterDescriptorFactory = {
    createDebugAdapterDescriptor: () =>
      // ProtocolServer is a structural copy of vscode.DebugAdapter.
      new vscode.DebugAdapterInlineImplementation(new DTraceDebugSession(createRuntime) as unknown as vscode.DebugAdapter),
  };
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider()),
  );
}
