/**
 * The run's one concurrency cap, dispatching by priority instead of arrival: when a slot frees, the waiting
 * request with the longest chain of work still behind it goes first (critical path first), ties in arrival order.
 */
export type Limit = <T>(fn: () => Promise<T>, priority?: number) => Promise<T>;

interface Waiting {
  priority: number;
  seq: number;
  start: () => void;
}

export function priorityLimit(concurrency: number): Limit {
  let active = 0;
  let seq = 0;
  let pending = false;
  const waiting: Waiting[] = [];
  const drain = () => {
    pending = false;
    while (active < concurrency && waiting.length > 0) {
      let best = 0;
      for (let i = 1; i < waiting.length; i++) {
        const w = waiting[i]!;
        const b = waiting[best]!;
        if (w.priority > b.priority || (w.priority === b.priority && w.seq < b.seq)) best = i;
      }
      const [chosen] = waiting.splice(best, 1);
      active++;
      chosen!.start();
    }
  };
  // Choose on the next turn, not at once: a row that just got its answer, and the rows that waited for it,
  // queue their next requests in this turn, and they may be the ones on the critical path.
  const schedule = () => {
    if (pending) return;
    pending = true;
    setImmediate(drain);
  };
  return <T>(fn: () => Promise<T>, priority = 0) =>
    new Promise<T>((resolve, reject) => {
      waiting.push({
        priority,
        seq: seq++,
        start: () => {
          fn()
            .then(resolve, reject)
            .finally(() => {
              active--;
              schedule();
            });
        },
      });
      schedule();
    });
}
