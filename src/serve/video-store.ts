/** In-memory video jobs (OpenAI's VideoResource shape), capped so a long-running server stays bounded. */

export interface Video {
  id: string;
  object: "video";
  model: string;
  status: "queued" | "in_progress" | "completed" | "failed";
  progress: number;
  created_at: number;
  completed_at: number | null;
  expires_at: number | null;
  prompt: string | null;
  size: string;
  seconds: string;
  remixed_from_video_id: string | null;
  error: { code: string; message: string } | null;
}

/** Completed assets stay downloadable for a day, as OpenAI's do. */
const EXPIRY_SECONDS = 24 * 60 * 60;

export class VideoStore {
  private readonly jobs = new Map<string, Video>();

  constructor(private readonly cap = 1000) {}

  add(video: Video): void {
    this.jobs.set(video.id, video);
    while (this.jobs.size > this.cap) {
      const oldest = this.jobs.keys().next().value;
      if (oldest === undefined) break;
      this.jobs.delete(oldest);
    }
  }

  get(id: string): Video | undefined {
    return this.jobs.get(id);
  }

  /** Polling advances a job: it completes on the first poll, so probers need no long waits. */
  poll(id: string, nowSeconds: number): Video | undefined {
    const video = this.jobs.get(id);
    if (video && (video.status === "queued" || video.status === "in_progress")) {
      video.status = "completed";
      video.progress = 100;
      video.completed_at = nowSeconds;
      video.expires_at = nowSeconds + EXPIRY_SECONDS;
    }
    return video;
  }

  get size(): number {
    return this.jobs.size;
  }
}
