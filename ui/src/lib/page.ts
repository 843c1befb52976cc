// What a page does as it opens and closes: it loads what it shows, and names
// the window after itself until the adviser leaves it.

import { onMount } from 'svelte';

/** The window's own name, which a page replaces with its own while open. */
const APP_TITLE = 'Caseload';

/** Runs `load` as the page opens and gives the window its own name back as it closes. Call while the component initialises. */
export function loadWhileOpen(load: () => Promise<void>): void {
  onMount(() => {
    void load();
    return () => {
      document.title = APP_TITLE;
    };
  });
}
