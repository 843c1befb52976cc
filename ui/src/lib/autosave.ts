// Saving a draft as the adviser works, so nothing typed lives only in the
// window: saves run one at a time, in order, and of several changes made
// while one save runs only the latest is saved next. A change waits at most
// `maxWait` ms, so steady typing with no pause is saved all the same.
// Before the app locks, `flushEveryAutosave` saves what every editor still
// holds, so nothing typed is lost when the window is cleared.

/** Every autosave with a change not yet saved, or a save under way. */
const unsaved = new Set<Autosave<unknown>>();

/** Saves what every editor holds now; resolves once every save has landed (or failed). */
export async function flushEveryAutosave(): Promise<void> {
  await Promise.all([...unsaved].map((autosave) => autosave.flush().catch(() => {})));
}

export class Autosave<T> {
  private pending: { value: T } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  /** When the oldest change not yet handed to `save` was made. */
  private waitingSince: number | null = null;

  /** `save` reports its own failures; a rejection still lets the next save run. */
  constructor(private readonly save: (value: T) => Promise<void>) {}

  /**
   * Saves `value` after `delay` ms, unless a later value replaces it first;
   * never later than `maxWait` ms after the oldest change still waiting.
   */
  schedule(value: T, delay = 0, maxWait = Infinity): void {
    const now = Date.now();
    this.waitingSince ??= now;
    this.pending = { value };
    unsaved.add(this as Autosave<unknown>);
    this.stopTimer();
    const wait = Math.max(0, Math.min(delay, this.waitingSince + maxWait - now));
    this.timer = setTimeout(() => void this.run().catch(() => {}), wait);
  }

  /** Saves what is waiting now, and resolves once every save has landed. */
  async flush(): Promise<void> {
    this.stopTimer();
    await this.run();
  }

  /** Forgets what is waiting; a save already running still lands. */
  cancel(): void {
    this.stopTimer();
    this.pending = null;
    this.waitingSince = null;
    this.settle();
  }

  private stopTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    while (this.inFlight) await this.inFlight.catch(() => {});
    const next = this.pending;
    if (next === null) {
      this.settle();
      return;
    }
    this.pending = null;
    this.waitingSince = null;
    const current = this.save(next.value);
    this.inFlight = current;
    try {
      await current;
    } finally {
      if (this.inFlight === current) this.inFlight = null;
      this.settle();
    }
  }

  /** Leaves the set of unsaved autosaves once nothing waits or runs. */
  private settle() {
    if (this.pending === null && this.inFlight === null) unsaved.delete(this as Autosave<unknown>);
  }
}
