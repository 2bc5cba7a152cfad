// Every LSP feature the server offers, one file each. A feature registers its handlers and
// returns its capabilities; add a new one here (one line) and nowhere else.
import type { Feature } from '../featureContext';
import { diagnosticsFeature } from './diagnostics';

export const FEATURES: Feature[] = [diagnosticsFeature];
