// The default-layout rows of one sorted walk over the aggregations (printa() of one
// aggregation, or the end of the run), with the agghist/aggpack display options applied.
import type { OptionSet } from '../analyze/options/optionSet';
import { aggregationValue, defaultRow, displayHeader, type RowDisplay } from './aggregationPrint';
import type { AggregationEntry, AggregationStore } from './aggregationStore';
import { histTotals, packBins, packUtf8, type HistTotals } from './packedDisplay';
import type { FormatEnv } from './printfFormat';

/**
 * Default-layout rows of one sorted walk, with agghist/aggpack: their totals and bins are
 * computed over every entry when the walk starts, and each aggregation gets its header once.
 */
export class RowPrinter {
  private readonly hist: Map<number, HistTotals> | undefined;
  private readonly bins: Map<number, [number, number]> | undefined;
  private readonly utf8: boolean;
  private headerFor = 0;

  constructor(
    private readonly store: AggregationStore,
    options: OptionSet,
    private readonly env: FormatEnv,
  ) {
    const fnOf = (id: number) => store.desc(id)?.fn;
    this.hist = options.flag('agghist') ? histTotals(store.all(), fnOf, options.flag('aggzoom')) : undefined;
    this.bins = options.flag('aggpack') ? packBins(store.all(), fnOf) : undefined;
    this.utf8 = packUtf8(options.word('encoding'));
  }

  row(e: AggregationEntry): string {
    const desc = this.store.desc(e.id)!;
    const hist = this.hist?.get(e.id);
    const bins = this.bins?.get(e.id);
    const display: RowDisplay = hist ? { hist } : bins ? { pack: { bins, utf8: this.utf8 } } : {};
    let text = '';
    if ((hist || bins) && this.headerFor !== e.id) {
      text += displayHeader(desc, display);
      this.headerFor = e.id;
    }
    return text + defaultRow(desc, e.key, [aggregationValue(desc, e)], this.env, display);
  }
}
