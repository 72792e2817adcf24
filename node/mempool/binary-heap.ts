// A binary heap that can also update or remove an element in place: each element's array index is reported
// through an optional `onMove` callback, so the owner can keep it on the element and find it in O(1).
// The mempool keeps its senders in two of these (best head first, cheapest tail first). Not thread-safe, not
// stable: ties must be broken by the comparator (the mempool breaks them by arrival).

/** True when `a` must come out before `b`. */
export type HeapBefore<T> = (a: T, b: T) => boolean;

export class BinaryHeap<T> {
  private readonly items: T[] = [];

  constructor(
    private readonly before: HeapBefore<T>,
    private readonly onMove: (item: T, index: number) => void = () => {},
  ) {}

  get length(): number {
    return this.items.length;
  }

  /** The element at array index `i` (0 is the top; children of i are 2i+1 and 2i+2). */
  at(i: number): T | undefined {
    return this.items[i];
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    const i = this.items.length - 1;
    this.onMove(item, i);
    this.siftUp(i);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes the element at index `i` (as last reported by onMove). */
  removeAt(i: number): void {
    const last = this.items.pop();
    if (last === undefined || i >= this.items.length) return;
    this.items[i] = last;
    this.onMove(last, i);
    this.update(i);
  }

  /** Restores heap order after the element at index `i` changed its key. */
  update(i: number): void {
    if (!this.siftUp(i)) this.siftDown(i);
  }

  private siftUp(i: number): boolean {
    const item = this.items[i]!;
    let moved = false;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = this.items[parentIndex]!;
      if (!this.before(item, parent)) break;
      this.place(parent, i);
      i = parentIndex;
      moved = true;
    }
    if (moved) this.place(item, i);
    return moved;
  }

  private siftDown(i: number): void {
    const n = this.items.length;
    const item = this.items[i]!;
    let moved = false;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.before(this.items[right]!, this.items[left]!) ? right : left;
      const childItem = this.items[child]!;
      if (!this.before(childItem, item)) break;
      this.place(childItem, i);
      i = child;
      moved = true;
    }
    if (moved) this.place(item, i);
  }

  private place(item: T, i: number): void {
    this.items[i] = item;
    this.onMove(item, i);
  }
}
