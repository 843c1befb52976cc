import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosave } from './autosave';

/** A save that records what it was given and finishes when told to. */
function slowSave() {
  const saved: string[] = [];
  const finishers: (() => void)[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const save = (value: string) =>
    new Promise<void>((resolve) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      finishers.push(() => {
        running -= 1;
        saved.push(value);
        resolve();
      });
    });
  return {
    save,
    saved,
    finishNext: () => finishers.shift()?.(),
    mostAtOnce: () => mostAtOnce,
    waiting: () => finishers.length,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Autosave', () => {
  it('saves only the latest of changes made within the delay', async () => {
    const save = vi.fn(async () => {});
    const autosave = new Autosave<string>(save);
    autosave.schedule('a', 500);
    autosave.schedule('ab', 500);
    autosave.schedule('abc', 500);
    await vi.advanceTimersByTimeAsync(499);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(save.mock.calls).toEqual([['abc']]);
  });

  it('saves steady typing that never pauses at least every maxWait ms', async () => {
    const save = vi.fn(async (_typed: string) => {});
    const autosave = new Autosave<string>(save);
    let typed = '';
    for (let key = 0; key < 25; key += 1) {
      typed += 'x';
      autosave.schedule(typed, 400, 1_000);
      await vi.advanceTimersByTimeAsync(100);
    }
    // 2.5 s of typing, a key every 100 ms: never a 400 ms pause.
    expect(save.mock.calls.map(([typed]) => typed.length)).toEqual([10, 20]);
    await vi.advanceTimersByTimeAsync(400);
    expect(save).toHaveBeenLastCalledWith('x'.repeat(25));
  });

  it('runs one save at a time and then saves the latest change made meanwhile', async () => {
    const slow = slowSave();
    const autosave = new Autosave<string>(slow.save);
    autosave.schedule('first');
    await vi.advanceTimersByTimeAsync(0);
    autosave.schedule('second');
    autosave.schedule('third');
    await vi.advanceTimersByTimeAsync(0);
    expect(slow.waiting()).toBe(1);
    slow.finishNext();
    await vi.advanceTimersByTimeAsync(0);
    slow.finishNext();
    await vi.advanceTimersByTimeAsync(0);
    expect(slow.saved).toEqual(['first', 'third']);
    expect(slow.mostAtOnce()).toBe(1);
  });

  it('flushes a waiting change at once and resolves when every save has landed', async () => {
    const slow = slowSave();
    const autosave = new Autosave<string>(slow.save);
    autosave.schedule('typed', 10_000);
    let flushed = false;
    const flushing = autosave.flush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(false);
    slow.finishNext();
    await flushing;
    expect(slow.saved).toEqual(['typed']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(slow.saved).toEqual(['typed']);
  });

  it('forgets a waiting change when cancelled', async () => {
    const save = vi.fn(async () => {});
    const autosave = new Autosave<string>(save);
    autosave.schedule('never', 100);
    autosave.cancel();
    await vi.advanceTimersByTimeAsync(1_000);
    await autosave.flush();
    expect(save).not.toHaveBeenCalled();
  });

  it('keeps saving after a save fails', async () => {
    const save = vi.fn(async (value: string) => {
      if (value === 'bad') throw new Error('disk full');
    });
    const autosave = new Autosave<string>(save);
    autosave.schedule('bad');
    await vi.advanceTimersByTimeAsync(0);
    autosave.schedule('good');
    await vi.advanceTimersByTimeAsync(0);
    expect(save.mock.calls).toEqual([['bad'], ['good']]);
  });
});
