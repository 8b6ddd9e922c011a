// Tracks work in flight (requests, webhook deliveries, runs) so tests can await quiescence.

export class Activity {
  private pending = 0;
  private waiters: (() => void)[] = [];

  /** Marks one unit of work as started; call the returned function once when it ends. */
  begin(): () => void {
    this.pending += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.pending -= 1;
      if (this.pending === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  async track<T>(work: Promise<T>): Promise<T> {
    const end = this.begin();
    try {
      return await work;
    } finally {
      end();
    }
  }

  get busy(): boolean {
    return this.pending > 0;
  }

  /**
   * Resolves once nothing is in flight and nothing starts during a short settle period
   * (a webhook handler may issue its next request a tick after the previous one ends).
   */
  async idle(settleMs = 25): Promise<void> {
    for (;;) {
      if (this.pending > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      if (this.pending === 0) return;
    }
  }
}
