// Saving a draft as the adviser works, so nothing typed lives only in the
// window: saves run one at a time, in order, and of several changes made
// while one save runs only the latest is saved next.

export class Autosave<T> {
  private pending: { value: T } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;

  /** `save` reports its own failures; a rejection still lets the next save run. */
  constructor(private readonly save: (value: T) => Promise<void>) {}

  /** Saves `value` after `delay` ms, unless a later value replaces it first. */
  schedule(value: T, delay = 0): void {
    this.pending = { value };
    this.stopTimer();
    this.timer = setTimeout(() => void this.run().catch(() => {}), delay);
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
  }

  private stopTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    while (this.inFlight) await this.inFlight.catch(() => {});
    const next = this.pending;
    if (next === null) return;
    this.pending = null;
    const current = this.save(next.value);
    this.inFlight = current;
    try {
      await current;
    } finally {
      if (this.inFlight === current) this.inFlight = null;
    }
  }
}
