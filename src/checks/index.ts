import type { Check } from "../probe/types.js";
import { audioChecks } from "./audio.js";
import { chatChecks } from "./chat.js";
import { declaredChecks } from "./declared.js";
import { embeddingChecks } from "./embeddings.js";
import { fileChecks } from "./files.js";
import { imageChecks } from "./images.js";
import { modelChecks } from "./models.js";
import { moderationChecks } from "./moderations.js";
import { phaseCChecks } from "./phase-c.js";
import { realtimeChecks } from "./realtime.js";
import { rerankChecks } from "./rerank.js";
import { videoChecks } from "./videos.js";

/** Row id → check. A test asserts every catalog row has exactly one. */
export const CHECKS: Record<string, Check> = {
  ...modelChecks,
  ...chatChecks,
  ...audioChecks,
  ...imageChecks,
  ...videoChecks,
  ...embeddingChecks,
  ...fileChecks,
  ...moderationChecks,
  ...phaseCChecks,
  ...declaredChecks,
  ...rerankChecks,
  ...realtimeChecks,
};
