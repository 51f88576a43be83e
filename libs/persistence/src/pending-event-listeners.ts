/**
 * Who to tell, in this process, that a write left an event in an outbox (a code's lifecycle events,
 * a job's end): the relay then takes it at once instead of at its next scan. Only a hint; the scan
 * finds every pending event anyway, including those other replicas wrote.
 */
export class PendingEventListeners {
  private readonly listeners = new Set<() => void>();

  /** Returns the unsubscribe. */
  add(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // The write stands whatever a listener does; the relay's scan takes the event anyway.
      }
    }
  }
}
