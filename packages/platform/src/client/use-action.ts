import { useCallback, useRef, useState } from 'react';

export interface TAction {
  /** True while the action runs (and, for `leavesPage`, after it succeeded: the page is being left). */
  pending: boolean;
  /** The last failure's message, shown by the button beside itself. */
  error: string | null;
  /** Runs `action` unless one is already running; an Error's message becomes `error`. Resolves to success. */
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  /** Shows (or, with null, clears) a message of the caller's own, e.g. a check made before sending. */
  setError: (message: string | null) => void;
}

/**
 * The one pending/error pattern of both apps' buttons: disabled while running, a second click does nothing, the
 * failure's message in place. `leavesPage`: the action ends by navigating away, so success keeps the button
 * disabled until the next page replaces it.
 */
export function useAction(options: { leavesPage?: boolean } = {}): TAction {
  const { leavesPage = false } = options;
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // State updates land after the click handler returns; the ref stops a double click in the same tick.
  const running = useRef(false);

  const run = useCallback(
    async (action: () => Promise<unknown>) => {
      if (running.current) return false;
      running.current = true;
      setPending(true);
      setError(null);
      try {
        await action();
        if (!leavesPage) {
          running.current = false;
          setPending(false);
        }
        return true;
      } catch (e) {
        running.current = false;
        setPending(false);
        setError(e instanceof Error ? e.message : String(e));
        return false;
      }
    },
    [leavesPage],
  );

  return { pending, error, run, setError };
}
