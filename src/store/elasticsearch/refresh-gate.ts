/**
 * Makes a search see every write acknowledged before it began, whichever replica wrote it: a refresh
 * that *starts* after the read was asked for. Writes never wait for a refresh (ingest keeps its
 * throughput); reads pay one refresh, which costs a round trip when nothing changed. Concurrent reads
 * share refreshes: a read that arrives while one runs waits for the next, which every read arriving
 * meanwhile shares.
 */
export class RefreshGate {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly refresh: () => Promise<void>) {}

  /** Resolves once a refresh that started after this call has finished; rejects if it failed. */
  fresh(): Promise<void> {
    if (this.running === null) return this.start();
    // The running refresh may have started before the caller's writes were acknowledged.
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.start();
      });
    return this.next;
  }

  private start(): Promise<void> {
    const run = this.refresh().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }
}
