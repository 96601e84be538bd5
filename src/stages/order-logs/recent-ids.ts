/**
 * Ids seen recently, to drop duplicates (a Kafka redelivery, an agent re-sending a chunk) in bounded
 * memory: two generations of at most `capacity` ids each; the older is dropped when the newer fills.
 * A duplicate older than that is keyed again (the store keeps one row; its key is then flagged late).
 */
export class RecentIds {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** True when `id` was seen; remembers it either way. */
  seen(id: string): boolean {
    if (this.current.has(id) || this.previous.has(id)) return true;
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(id);
    return false;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
