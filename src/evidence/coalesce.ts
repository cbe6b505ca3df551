/**
 * Request coalescing: while a task for a key is in flight, further callers for that key share
 * its promise instead of starting another. 100 concurrent lookups of one employee = 1 SAP call.
 */
export class Coalescer<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  run(key: string, task: () => Promise<V>): Promise<V> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = task().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  get size(): number {
    return this.inFlight.size;
  }
}
