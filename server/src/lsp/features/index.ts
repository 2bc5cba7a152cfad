// Every LSP feature the server offers, one file each. A feature registers its handlers and
// returns its capabilities; add a new one here (one line) and nowhere else.
import type { Feature } from '../featureContext';
import { diagnosticsFeature } from './diagnostics';
import { documentSymbolsFeature } from './documentSymbols';
import { workspaceSymbolsFeature } from './workspaceSymbols';
import { foldingFeature } from './folding';
import { selectionRangesFeature } from './selectionRanges';
import { formattingFeature } from './formatting';
import { codeActionsFeature } from './codeActions';
import { hoverFeature } from './hover';
import { completionFeature } from './completion';
import { signatureHelpFeature } from './signatureHelp';
import { definitionFeature } from './definition';
import { referencesFeature } from './references';
import { documentHighlightsFeature } from './documentHighlights';
import { renameFeature } from './rename';
import { semanticTokensFeature } from './semanticTokens';
import { inlayHintsFeature } from './inlayHints';

export const FEATURES: Feature[] = [diagnosticsFeature, documentSymbolsFeature, workspaceSymbolsFeature, foldingFeature, selectionRangesFeature, formattingFeature, codeActionsFeature, hoverFeature, completionFeature, signatureHelpFeature, definitionFeature, referencesFeature, documentHighlightsFeature, renameFeature, semanticTokensFeature, inlayHintsFeature];
