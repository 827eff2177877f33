/**
 * Every row settles by its deadline, whatever the server (or a bug) does. A row's watchdog fires when the row
 * has gone `limitMs` without activity (a request starting or finishing) while not waiting for the shared
 * concurrency cap; a request has its own deadline, so a healthy row is active at least once per `--timeout`.
 * Its timer keeps the process alive, so a probe can never just run out of things to wait for (Node would exit
 * with code 13, printing nothing).
 */
export class Watchdog {
  /** Resolves when the watchdog fires. */
  readonly expired: Promise<void>;
  fired = false;
  private fire!: () => void;
  private timer: NodeJS.Timeout | undefined;
  private queued = 0;
  private stopped = false;

  constructor(readonly limitMs: number) {
    this.expired = new Promise<void>((resolve) => {
      this.fire = resolve;
    });
    this.arm();
  }

  /** A request joins the concurrency queue: time spent waiting for others does not count. */
  enqueue(): void {
    this.queued++;
    clearTimeout(this.timer);
  }

  /** A request leaves the queue and starts. */
  start(): void {
    this.queued--;
    this.arm();
  }

  /** A request finished. */
  finish(): void {
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (this.stopped || this.fired || this.queued > 0) return;
    this.timer = setTimeout(() => {
      this.fired = true;
      this.fire();
    }, this.limitMs);
  }
}

/** How long a row may go without activity: one request's deadline, plus room for the checks' own work. */
export function watchdogLimit(timeoutMs: number): number {
  return timeoutMs + 10_000;
}
