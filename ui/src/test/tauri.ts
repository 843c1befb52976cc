// A stand-in for the Tauri back end in component tests: each command answers
// from a table of handlers, and every call is recorded. The store is open
// (no passphrase to ask for) unless a test answers `store_lock` itself.

import type { Mock } from 'vitest';

export type Handler = (args?: Record<string, unknown>) => unknown;

const defaults: Record<string, Handler> = {
  store_lock: () => ({ state: 'open' }),
};

export function answer(invoke: Mock, handlers: Record<string, Handler>) {
  invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
    const handler = handlers[command] ?? defaults[command];
    if (!handler) throw `no handler for ${command} in this test`;
    return handler(args);
  });
}
