// Fault injection ahead of the script: a fault answers a call without consuming a scripted reply,
// so an SDK retry after a 429 gets the reply the script meant for that turn.
import { toReply, type ScriptedReply } from "./replies.ts";
import type { Reply } from "./types.ts";

export class FaultPlan {
  readonly #queue: Reply[] = [];
  readonly #byCall = new Map<number, Reply>();
  #storm: Reply | undefined;
  #calls = 0;

  /** The next `count` calls get `fault`, after any faults already queued. */
  next(count: number, fault: ScriptedReply): this {
    for (let i = 0; i < count; i++) this.#queue.push(toReply(fault));
    return this;
  }

  /** Every call gets `fault` until `clear()`: a storm. */
  always(fault: ScriptedReply): this {
    this.#storm = toReply(fault);
    return this;
  }

  /** The call with this 0-based index (counting every valid /v1/messages call) gets `fault`. */
  atCall(index: number, fault: ScriptedReply): this {
    this.#byCall.set(index, toReply(fault));
    return this;
  }

  clear(): this {
    this.#queue.length = 0;
    this.#byCall.clear();
    this.#storm = undefined;
    return this;
  }

  /** Called once per valid call; returns the fault for it, if any. */
  take(): Reply | undefined {
    const index = this.#calls++;
    const byCall = this.#byCall.get(index);
    if (byCall) {
      this.#byCall.delete(index);
      return byCall;
    }
    return this.#queue.shift() ?? this.#storm;
  }
}
