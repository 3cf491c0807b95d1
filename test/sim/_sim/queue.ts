/** Priority queue of timed events ordered by (time, insertion order): the simulator's virtual clock. */

interface Entry<T> {
  time: number;
  seq: number;
  value: T;
}

/** A binary min-heap of events. */
export class EventQueue<T> {
  #heap: Entry<T>[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(time: number, value: T): void {
    const h = this.#heap;
    h.push({ time, seq: this.#seq++, value });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i] as Entry<T>, h[p] as Entry<T>)) break;
      [h[i], h[p]] = [h[p] as Entry<T>, h[i] as Entry<T>];
      i = p;
    }
  }

  pop(): { time: number; value: T } | undefined {
    const h = this.#heap;
    const top = h[0];
    if (!top) return undefined;
    const last = h.pop() as Entry<T>;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l] as Entry<T>, h[m] as Entry<T>)) m = l;
        if (r < h.length && less(h[r] as Entry<T>, h[m] as Entry<T>)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Entry<T>, h[i] as Entry<T>];
        i = m;
      }
    }
    return { time: top.time, value: top.value };
  }
}

function less<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
