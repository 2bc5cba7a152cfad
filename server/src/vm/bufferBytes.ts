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
    switch (size) {
      case 8:
        view.setBigUint64(at, v, true);
        return;
      case 4:
        view.setUint32(at, Number(BigInt.asUintN(32, v)), true);
        return;
      case 2:
        view.setUint16(at, Number(BigInt.asUintN(16, v)), true);
        return;
      case 1:
        view.setUint8(at, Number(BigInt.asUintN(8, v)));
        return;
    }
    let x = BigInt.asUintN(64, v);
    for (let k = 0; k < size; k++) {
      this.bytes[at + k] = k < 8 ? Number(x & 0xffn) : 0;
      x >>= 8n;
    }
  }

  /** Zeroes [from, to): empty EPID words between records, the unused tail of a record. */
  clear(from: number, to: number): void {
    if (to > from) this.bytes.fill(0, from, to);
  }
}
