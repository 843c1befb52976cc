// The window's part of the app lock: it reports the adviser's activity
// (throttled: the back end keeps the idle clock and decides when to lock),
// knows the "Lock now" shortcut, and locks by saving every draft first,
// then asking the back end to close the store, then reloading so that
// nothing of the caseload stays in the page. No rule about when to lock
// lives here.

import { flushEveryAutosave } from './autosave';

/** What counts as the adviser's hand on the keyboard, mouse or screen. */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** Reports are sent at most this often, and a few times within the idle time. */
const MOST_OFTEN_MS = 250;
const LEAST_OFTEN_MS = 30_000;

/** How long to wait between two activity reports for an idle time of `idleSeconds` (null: never locks). */
export function reportEveryMs(idleSeconds: number | null): number {
  if (idleSeconds === null) return LEAST_OFTEN_MS;
  return Math.min(LEAST_OFTEN_MS, Math.max(MOST_OFTEN_MS, (idleSeconds * 1000) / 4));
}

/** The idle time in force, in seconds: the test override first, else the adviser's choice. */
export function idleSeconds(settings: { lock_after: number | null; test_seconds: number | null }): number | null {
  if (settings.test_seconds !== null) return settings.test_seconds;
  return settings.lock_after === null ? null : settings.lock_after * 60;
}

/** Sends `report` on activity, at most once every `everyMs`. */
export class ActivityReporter {
  private last = -Infinity;

  constructor(
    private readonly report: () => void,
    public everyMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  seen(): void {
    const now = this.now();
    if (now - this.last < this.everyMs) return;
    this.last = now;
    this.report();
  }
}

/** Ctrl+L (Cmd+L on a Mac): lock now. */
export function isLockShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'l';
}

/**
 * Locks the window: every draft saved first, then the store closed, then
 * the page reloaded onto the lock screen (its URL kept, so unlocking goes
 * back to the same page). Rejects, leaving the page as it is, when the back
 * end refuses to lock.
 */
export async function lockWindow(lockApp: () => Promise<void>, reload: () => void): Promise<void> {
  await flushEveryAutosave();
  await lockApp();
  reload();
}
