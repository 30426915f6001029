// Reading and sending on the public pages. A patron's page reads one or two things and sends
// one form, each page a fresh load: these two hooks do that, and leave React Query (~14 kB of
// brotli) to the desk, so that the public first load stays small (issue 9; bench/web.ts).
import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { ApiError } from '../../api/client.js';

type Reading<T> =
  | { status: 'pending'; isPending: true; isError: false; data: undefined; error: undefined }
  | { status: 'success'; isPending: false; isError: false; data: T; error: undefined }
  | { status: 'error'; isPending: false; isError: true; data: T | undefined; error: unknown };

export type Loaded<T> = Reading<T> & {
  /** Shows this answer (one the server gave another way, such as to a reply). */
  set(data: T): void;
  /** Reads again. */
  reload(): void;
};

interface LoadOptions {
  /** Try again after a network or server failure, twice, as the desk's queries do (default true). */
  retry?: boolean;
  /** Read again this often (ms) while the page is in view, until a read fails. */
  every?: number;
}

const RETRIES = 2;
const retriable = (e: unknown) => !(e instanceof ApiError && e.status >= 400 && e.status < 500);

/** Reads when the page shows and whenever `key` changes. */
export function useLoad<T>(key: string, load: () => Promise<T>, { retry = true, every }: LoadOptions = {}): Loaded<T> {
  const [reading, setReading] = useState<{ key: string; state: Reading<T> }>({
    key,
    state: { status: 'pending', isPending: true, isError: false, data: undefined, error: undefined },
  });
  const [round, setRound] = useState(0);
  const read = useEffectEvent(load);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = (n: number) => {
      read().then(
        (data) => {
          if (!live) return;
          setReading({ key, state: { status: 'success', isPending: false, isError: false, data, error: undefined } });
          if (every) timer = setTimeout(poll, every);
        },
        (error: unknown) => {
          if (!live) return;
          if (retry && n < RETRIES && retriable(error)) {
            timer = setTimeout(() => attempt(n + 1), 1000 * 2 ** n);
            return;
          }
          setReading((r) => ({
            key,
            state: { status: 'error', isPending: false, isError: true, data: r.key === key ? r.state.data : undefined, error },
          }));
        },
      );
    };
    // While the page is out of view, wait; read again once it is back.
    const poll = () => {
      if (document.visibilityState === 'visible') attempt(RETRIES);
      else timer = setTimeout(poll, every);
    };
    attempt(0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, round, retry, every]);

  const set = useCallback(
    (data: T) => setReading((r) => ({ ...r, state: { status: 'success', isPending: false, isError: false, data, error: undefined } })),
    [],
  );
  const reload = useCallback(() => setRound((n) => n + 1), []);
  // A new key shows as pending until its first answer, never the last key's answer.
  const state: Reading<T> =
    reading.key === key ? reading.state : { status: 'pending', isPending: true, isError: false, data: undefined, error: undefined };
  return { ...state, set, reload };
}

type Sending<T> = { isPending: boolean } & ({ isSuccess: true; data: T } | { isSuccess: false; data: undefined });

/** Sends a form: `mutate(body)`, then `onSuccess` or `onError`. */
export function useSend<A, T>(
  send: (args: A) => Promise<T>,
  on: { onSuccess?: (data: T) => void; onError?: (error: unknown) => void } = {},
): Sending<T> & { mutate: (args: A) => void } {
  const [state, setState] = useState<Sending<T>>({ isPending: false, isSuccess: false, data: undefined });
  const mutate = (args: A) => {
    setState({ isPending: true, isSuccess: false, data: undefined });
    send(args).then(
      (data) => {
        setState({ isPending: false, isSuccess: true, data });
        on.onSuccess?.(data);
      },
      (error: unknown) => {
        setState({ isPending: false, isSuccess: false, data: undefined });
        on.onError?.(error);
      },
    );
  };
  return { ...state, mutate };
}
