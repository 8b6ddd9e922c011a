// Bounded capture of a command's output: the first and last halves of the budget are kept (where the
// command line echo and the final errors usually are), the middle is counted and dropped.

export class OutputCapture {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  /** Bytes dropped from the middle. */
  omitted = 0;

  constructor(maxBytes: number) {
    this.headLimit = Math.ceil(Math.max(0, maxBytes) / 2);
    this.tailLimit = Math.floor(Math.max(0, maxBytes) / 2);
  }

  push(chunk: Buffer): void {
    if (this.headBytes < this.headLimit) {
      const take = chunk.subarray(0, this.headLimit - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (!chunk.length) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    // Drop whole chunks from the front of the tail, then trim the first one to the limit.
    while (this.tailBytes > this.tailLimit) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailBytes - this.tailLimit;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.omitted += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.omitted += excess;
      }
    }
  }

  /** Everything kept, as text, with a note where the middle was dropped. */
  text(): string {
    // Decoded together when nothing was dropped, so a character split between the parts stays whole.
    if (!this.omitted) return Buffer.concat([...this.head, ...this.tail]).toString("utf8");
    const head = Buffer.concat(this.head).toString("utf8");
    const tail = Buffer.concat(this.tail).toString("utf8");
    return `${head}\n… [${this.omitted} bytes of output omitted] …\n${tail}`;
  }
}
