// The `dtrace/flavour` notification: which target system a document is analyzed for, and why
// (the client shows it in the status bar).
import type { AnalyzedDocument } from './featureContext';

export const FLAVOUR_NOTIFICATION = 'dtrace/flavour';

export interface FlavourNotice {
  uri: string;
  flavour: string;
  reason: 'setting' | 'pragma' | 'guess' | 'default';
}

export function flavourNotice(doc: AnalyzedDocument): FlavourNotice {
  return { uri: doc.uri, flavour: doc.result.flavour.name, reason: doc.result.flavour.reason };
}
