/**
 * Inbound sockets that have not finished the handshake, by remote address. A socket costs us a slot
 * before it proves anything, so silent sockets are bounded per address and in total: past a bound the
 * oldest pending socket of the same address goes (past the total bound, the oldest of the address
 * holding the most). Evicting the oldest rather than refusing the newest keeps the door open for an
 * honest peer behind the same address, whose handshake completes in a few milliseconds, while the
 * handshake timeout clears the rest.
 */

/**
 * The key an address is counted under: IPv4 (also IPv4-mapped IPv6) as is, IPv6 by its /64, since one
 * host usually holds a whole /64.
 */
export function addressKey(address: string): string {
  let a = address.trim().toLowerCase();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  if (a.startsWith("::ffff:") && a.includes(".")) return a.slice(7);
  if (!a.includes(":")) return a;
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  const [head = "", tail] = a.split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill("0"), ...t];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/** Pending inbound items (connections) per address, oldest first. */
export class PendingInbound<T> {
  private readonly byKey = new Map<string, T[]>();
  private readonly keyOf = new Map<T, string>();

  constructor(
    readonly maxPerAddress: number,
    readonly maxTotal: number,
  ) {
    if (!Number.isInteger(maxPerAddress) || maxPerAddress < 1) throw new RangeError(`maxPendingPerAddress must be a positive integer, got ${maxPerAddress}`);
    if (!Number.isInteger(maxTotal) || maxTotal < maxPerAddress) throw new RangeError(`maxPendingInbound must be an integer ≥ maxPendingPerAddress, got ${maxTotal}`);
  }

  /** Pending items in total. */
  get size(): number {
    return this.keyOf.size;
  }

  /** Pending items from `address`. */
  count(address: string): number {
    return this.byKey.get(addressKey(address))?.length ?? 0;
  }

  /**
   * Register a new pending item; returns the items to close (already forgotten here) to keep both
   * bounds. Never returns `item` itself.
   */
  add(item: T, address: string): T[] {
    const key = addressKey(address);
    const list = this.byKey.get(key) ?? [];
    list.push(item);
    this.byKey.set(key, list);
    this.keyOf.set(item, key);
    const evicted: T[] = [];
    while (list.length > this.maxPerAddress) evicted.push(this.take(list[0] as T));
    while (this.keyOf.size > this.maxTotal) {
      let victim: T | undefined;
      let most = 0;
      for (const l of this.byKey.values()) {
        const first = l[0] === item ? l[1] : l[0];
        if (first !== undefined && l.length > most) [victim, most] = [first, l.length];
      }
      if (victim === undefined) break;
      evicted.push(this.take(victim));
    }
    return evicted;
  }

  /** Forget an item (its handshake finished or it closed); no-op when unknown. */
  remove(item: T): void {
    if (this.keyOf.has(item)) this.take(item);
  }

  private take(item: T): T {
    const key = this.keyOf.get(item) as string;
    this.keyOf.delete(item);
    const list = this.byKey.get(key) ?? [];
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byKey.delete(key);
    return item;
  }
}
