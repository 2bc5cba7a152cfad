// What every LSP feature file receives: the connection to register its handlers on, the open
// documents and their latest analysis. Each feature file exports one `Feature`; server.ts
// calls them all and merges the capabilities they return.
import type { CancellationToken, Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Parser, Tree } from '../parse/dParser';
import type { FrontEndResult } from '../analyze/frontEnd';
import type { Flavour } from '../analyze/flavour/flavours';

/** A document as the engine understands it, for one version of its text. */
export interface AnalyzedDocument {
  uri: string;
  version: number;
  text: string;
  /** The syntax tree of `text` (kept incrementally; do not delete it). */
  tree: Tree;
  /** The front end's result for `text` (the same call the command line makes). */
  result: FrontEndResult;
}

/** The settings a user can give (VS Code settings `dtrace.*`, or initializationOptions). */
export interface ServerSettings {
  /** Target flavour: 'auto' guesses from the script. */
  flavour: 'auto' | Flavour;
  /** `-x name=value` compile options. */
  options: Record<string, string>;
  /** Macro arguments `$1`, `$2` ... */
  macroArguments: string[];
  /** `-I` directories for `-C` scripts. */
  includePaths: string[];
  /** Extra provider files (JSON, docs/probe-catalogue.md). */
  providerFiles: string[];
}

export interface FeatureContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  parser: Parser;
  /**
   * The analysis of the document's current version: computed now if it is not ready (a
   * request never sees an older version than the document it is about). Undefined when the
   * document is not open or the request was cancelled.
   */
  analysis(uri: string, token?: CancellationToken): Promise<AnalyzedDocument | undefined>;
  settings(uri: string): ServerSettings;
  /** Calls `listener` after the user's settings changed (every analysis is then stale). */
  onSettingsChanged?(listener: () => void): void;
  /** Calls `listener` with each new analysis as it is made (features keep the last good one). */
  onAnalyzed?(listener: (doc: AnalyzedDocument) => void): void;
  /** Logs a problem in a feature handler (the request fails; the server lives). */
  log(message: string): void;
}

/** Registers a feature's handlers and returns the capabilities it provides. */
export type Feature = (ctx: FeatureContext) => ServerCapabilities;
