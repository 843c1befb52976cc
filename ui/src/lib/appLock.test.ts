import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActivityReporter, idleSeconds, isLockShortcut, lockWindow, reportEveryMs } from './appLock';
import { Autosave } from './autosave';

describe('activity reports', () => {
  it('are sent a few times within the idle time, never more than four a second nor less than every 30 s', () => {
    expect(reportEveryMs(600)).toBe(30_000);
    expect(reportEveryMs(60)).toBe(15_000);
    expect(reportEveryMs(4)).toBe(1_000);
    expect(reportEveryMs(0)).toBe(250);
    expect(reportEveryMs(null)).toBe(30_000);
  });

  it('are throttled: steady typing sends one report per period', () => {
    let now = 0;
    const report = vi.fn();
    const reporter = new ActivityReporter(report, 1000, () => now);
    for (now = 0; now < 2500; now += 100) reporter.seen();
    expect(report).toHaveBeenCalledTimes(3);
  });

  it('count the test override before the adviser\'s minutes', () => {
    expect(idleSeconds({ lock_after: 10, test_seconds: null })).toBe(600);
    expect(idleSeconds({ lock_after: 10, test_seconds: 3 })).toBe(3);
    expect(idleSeconds({ lock_after: null, test_seconds: null })).toBeNull();
  });
});

describe('the lock shortcut', () => {
  it('is Ctrl+L or Cmd+L and nothing else', () => {
    const key = (init: KeyboardEventInit) => isLockShortcut(new KeyboardEvent('keydown', init));
    expect(key({ key: 'l', ctrlKey: true })).toBe(true);
    expect(key({ key: 'L', metaKey: true })).toBe(true);
    expect(key({ key: 'l' })).toBe(false);
    expect(key({ key: 'l', ctrlKey: true, shiftKey: true })).toBe(false);
    expect(key({ key: 'k', ctrlKey: true })).toBe(false);
  });
});

describe('locking the window', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves a draft still waiting for its pause before the store is closed, then reloads', async () => {
    const order: string[] = [];
    const autosave = new Autosave<string>(async (text) => {
      order.push(`saved ${text}`);
    });
    autosave.schedule('typed just now', 1000);
    await lockWindow(
      async () => {
        order.push('locked');
      },
      () => order.push('reloaded'),
    );
    expect(order).toEqual(['saved typed just now', 'locked', 'reloaded']);
  });

  it('waits for a save under way before closing the store', async () => {
    const order: string[] = [];
    let finish = () => {};
    const autosave = new Autosave<string>(
      (text) =>
        new Promise<void>((resolve) => {
          finish = () => {
            order.push(`saved ${text}`);
            resolve();
          };
        }),
    );
    autosave.schedule('first');
    await vi.advanceTimersByTimeAsync(0);
    const locking = lockWindow(
      async () => {
        order.push('locked');
      },
      () => order.push('reloaded'),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(order).toEqual([]);
    finish();
    await locking;
    expect(order).toEqual(['saved first', 'locked', 'reloaded']);
  });

  it('stays on the page when the back end refuses to lock', async () => {
    const reload = vi.fn();
    await expect(
      lockWindow(async () => {
        throw new Error('Set a lock password first');
      }, reload),
    ).rejects.toThrow('Set a lock password first');
    expect(reload).not.toHaveBeenCalled();
  });
});
