// The bytes of one buffer (a CPU's principal buffer, a CPU's part of a speculation). Backing
// store is allocated as records first reach it, doubling up to the buffer's size, so that many
// idle CPUs do not each hold `bufsize` bytes. Records are written little-endian, as on the x86
// and arm64 machines DTrace runs on.

export class BufferBytes {
  bytes: Uint8Array;
  view: DataView;

  constructor(readonly size: number) {
    this.bytes = new Uint8Array(0);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes bytes [0, end) exist (end never exceeds the buffer's size: reservations check it). */
  ensure(end: number): void {
    if (end <= this.bytes.length) return;
    const grown = new Uint8Array(Math.min(Math.max(this.size, end), Math.max(end, this.bytes.length * 2, 256)));
    grown.set(this.bytes);
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  /** An integer record of `size` bytes (1, 2, 4 or 8; anything else byte by byte), truncated. */
  putInteger(at: number, size: number, v: bigint): void {
    const view = this.view;
    if (size === 8) {
      view.setBigUint64(at, v, true);
      return;
    }
    // Through the low bytes of a 64-bit store: truncating the bigint itself would allocate one.
    WORD.setBigUint64(0, v, true);
    switch (size) {
      case 4:
        view.setUint32(at, WORD.getUint32(0, true), true);
        return;
      case 2:
        view.setUint16(at, WORD.getUint16(0, true), true);
        return;
      case 1:
        view.setUint8(at, WORD.getUint8(0));
        return;
    }
    for (let k = 0; k < size; k++) this.bytes[at + k] = k < 8 ? WORD.getUint8(k) : 0;
  }

  /**
   * A record header (dtrace_rechdr_t): the EPID, then the timestamp's high word and low word
   * (stored as one little-endian 64-bit value, then its halves swapped: no bigint arithmetic).
   */
  putHeader(at: number, epid: number, timestamp: bigint): void {
    const view = this.view;
    view.setUint32(at, epid, true);
    view.setBigUint64(at + 4, timestamp, true);
    const low = view.getUint32(at + 4, true);
    view.setUint32(at + 4, view.getUint32(at + 8, true), true);
    view.setUint32(at + 8, low, true);
  }

  /** Zeroes [from, to): empty EPID words between records, the unused tail of a record. */
  clear(from: number, to: number): void {
    if (to > from) this.bytes.fill(0, from, to);
  }
}

/** putInteger's scratch word. */
const WORD = new DataView(new ArrayBuffer(8));
