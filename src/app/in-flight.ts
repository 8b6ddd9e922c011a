// Counts handlers still running, so tests, the Actions adapter and shutdown can wait for quiet.
// Webhook deliveries are answered 202 after a few seconds while long work (planning) continues.
export class InFlight {
  #count = 0;
  #waiters: (() => void)[] = [];
  readonly errors: unknown[] = [];

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.#count++;
    try {
      return await work();
    } catch (e) {
      this.errors.push(e);
      throw e;
    } finally {
      this.#count--;
      if (this.#count === 0) for (const w of this.#waiters.splice(0)) w();
    }
  }

  get busy(): boolean {
    return this.#count > 0;
  }

  /** Resolves when no handler is running. */
  idle(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }
}
