// Keeps the live status stream open while an admin is signed in; exposes its state for the header.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { spaceKeys } from '../spaces/api/queryKeys.ts';
import { openStream, type StreamState } from './api/openStream.ts';
import { createStreamEventHandler } from './applyStreamEvents.ts';

let state: StreamState = 'connecting';
const listeners = new Set<() => void>();

function setState(next: StreamState): void {
  if (next === state) return;
  state = next;
  for (const l of listeners) l();
}

export function useStreamState(): StreamState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

export function useLiveStream(enabled: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    const onEvent = createStreamEventHandler(queryClient);
    const stream = openStream({
      onEvent,
      onState: setState,
      onOpen: (reconnected, resumed) => {
        // A resumed stream replays what was missed (or says `resync`); otherwise reload.
        if (reconnected && !resumed) {
          void queryClient.invalidateQueries({ queryKey: spaceKeys.all });
          void queryClient.invalidateQueries({ queryKey: ['catalog'] });
        }
      },
      onRejected: () => setState('offline'),
    });
    return () => stream.close();
  }, [enabled, queryClient]);
}
