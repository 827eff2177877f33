/**
 * Stored Responses (`store: true`, OpenAI's default) for GET /v1/responses/{id}, its input_items, DELETE and
 * previous_response_id. In memory, bounded in count and age, so a long-running server stays small.
 */
import type { Json } from "./params.js";

export interface StoredResponse {
  response: Json;
  /** The input items as OpenAI lists them (each with an id), oldest first. */
  input: Json[];
  /** Input plus output tokens: what a follow-up turn with previous_response_id carries as context. */
  contextTokens: number;
  storedAt: number;
}

/** OpenAI keeps stored responses for 30 days; a test server needs far less. */
const DEFAULT_MAX_AGE_MS = 60 * 60 * 1000;

export class ResponseStore {
  private readonly items = new Map<string, StoredResponse>();

  constructor(
    private readonly cap = 1000,
    private readonly maxAgeMs = DEFAULT_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  put(id: string, entry: Omit<StoredResponse, "storedAt">): void {
    this.items.delete(id);
    this.items.set(id, { ...entry, storedAt: this.now() });
    while (this.items.size > this.cap) {
      const oldest = this.items.keys().next().value;
      if (oldest === undefined) break;
      this.items.delete(oldest);
    }
  }

  get(id: string): StoredResponse | undefined {
    const entry = this.items.get(id);
    if (entry && this.now() - entry.storedAt > this.maxAgeMs) {
      this.items.delete(id);
      return undefined;
    }
    return entry;
  }

  delete(id: string): boolean {
    return this.get(id) !== undefined && this.items.delete(id);
  }

  get size(): number {
    return this.items.size;
  }
}
