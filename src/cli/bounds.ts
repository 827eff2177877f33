import { UsageError } from "./errors.js";

/**
 * Every duration and size option has an upper bound as well as a lower one: Node clamps timers above 2^31-1 ms
 * to 1 ms (a 30-day --timeout would time out at once), and buffers have a maximum size. The bounds are far
 * beyond any real use; out of range is a one-line usage error naming the option and its range.
 */
export const BOUNDS = {
  /** Seconds; 1 day. */
  timeout: { min: 0.001, max: 86_400, unit: "s" },
  concurrency: { min: 1, max: 256, unit: "" },
  /** Seconds; 1 day. */
  waitReady: { min: 0, max: 86_400, unit: "s" },
  /** MB; 1 GiB, the largest body aioc will hold. */
  maxBody: { min: 0.001, max: 1024, unit: "MB" },
} as const;

export interface Bound {
  min: number;
  max: number;
  unit: string;
}

export function boundedNumber(flag: string, value: string, bound: Bound): number {
  const n = Number(value);
  const unit = bound.unit ? ` ${bound.unit}` : "";
  if (value.trim() === "" || !Number.isFinite(n) || n < bound.min || n > bound.max) {
    throw new UsageError(`${flag} must be a number from ${bound.min} to ${bound.max}${unit}, got "${value}"`);
  }
  return n;
}
