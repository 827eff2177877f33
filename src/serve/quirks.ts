/**
 * Quirks make the reference server imitate a known deviation, so the prober can be tested against every verdict
 * it gives and users can see what aioc reports against a given implementation without running it.
 *
 * One quirk per catalog deviation, addressed as `dev:<deviation-id>`: the registry below is keyed by the catalog
 * (src/deviations/catalog.ts), and test/quirks.test.ts checks that every deviation has a quirk that makes the
 * prober report exactly that deviation. Handlers test `ctx.quirks.has(id)` where the deviation happens.
 *
 * Implementation profiles (`--quirks llama.cpp`) are derived from the catalog too: a profile is every deviation
 * whose `implementations` name that implementation (deviationsOf), plus the routes it does not serve.
 *
 * Version rule: a profile models the implementation's CURRENT release. A catalog entry that names the
 * implementation only for versions that have since been fixed, or only for an opt-in setting, is listed in the
 * profile's `past` with the reason and is not imitated; docs/implementations/<name>.md lists it as history.
 * Anything the catalog attributes to the implementation and `past` does not exclude is imitated, so a new
 * catalog entry joins the profile by default.
 */
import { UsageError } from "../cli/errors.js";
import { DEVIATIONS, deviationsOf } from "../deviations/catalog.js";

/** What the server does under each quirk. Keyed by deviation id; a test keeps it in step with the catalog. */
export const QUIRK_BEHAVIOUR: Readonly<Record<string, string>> = {
  "model-retrieve-404": "GET /v1/models/{model} is not routed: 404 as for an unknown URL",
  "missing-created": "model objects and chat/completions stream chunks carry no `created`",
  "missing-object": "chat/completions stream chunks carry no `object`",
  "missing-index": "non-streamed chat choices carry no `index`",
  "stream-no-usage": "stream_options.include_usage is ignored: no usage chunk, no `usage: null`",
  "stream-usage-every-chunk":
    "with include_usage, every chat chunk carries a usage object, not only the last",
  "usage-chunk-with-choices":
    "the include_usage chunk carries a placeholder choice (empty delta, finish_reason null), as LiteLLM's does",
  "usage-on-final-choice-chunk":
    "completions streams put usage on the finish_reason chunk, include_usage or not, and send no separate usage chunk",
  "no-finish-reason": "chat stream chunks never carry a finish_reason (always null)",
  "missing-chunk-finish-reason": "stream chunks omit `finish_reason` instead of sending null",
  "stream-missing-index": "stream chunks omit `choices[].index`",
  "stream-missing-role": 'no chat delta carries `role: "assistant"`',
  "azure-prompt-filter-chunk":
    'chat streams open with Azure OpenAI\'s content-filter chunk (`id: ""`, `choices: []`, `prompt_filter_results`)',
  "chunk-id-changes": "every chat/completions stream chunk gets a new `id`",
  "stream-null-fields": "chat/completions stream chunks carry `model: null`",
  "finish-reason-nonstandard": 'finish_reason "stop" is sent as "eos_token" (chat and completions)',
  "finish-reason-stop-when-cut":
    'an answer cut by the token limit says finish_reason "stop", not "length" (chat and completions)',
  "tool-call-empty-id": 'chat tool calls carry `id: ""` (plain and streamed)',
  "float-created": "chat and completions `created` is a float (seconds + 0.25)",
  "sse-wrong-content-type": "SSE streams are served as application/json",
  "responses-stream-done": "Responses streams end with `data: [DONE]`",
  "responses-created-no-output":
    "Responses stream snapshots (response.created, response.in_progress) carry no `output` array",
  "responses-events-no-index":
    "Responses stream events carry no output_index or content_index (they name the item by item_id)",
  "responses-completed-when-cut":
    'Responses replies run on to max_output_tokens (a model that does not stop) and still say status "completed"',
  "speech-octet-stream": "speech audio is served as application/octet-stream",
  "speech-wrong-audio-type": "speech audio is labelled audio/mpeg whatever the format",
  "translations-folded": "POST /v1/audio/translations is not routed: 404 (transcriptions still work)",
  "images-edits-json": "image edits refuse multipart with 415 and take a JSON body (images[].image_url)",
  "error-not-envelope":
    'router errors (unknown URL 404, wrong method 405) answer FastAPI-style {"detail": "Not Found"}',
  "error-code-integer": "every error envelope's `code` is the HTTP status as an integer (400, 401, 404 …)",
  "model-fallback":
    "chat, completions and Responses answer an unknown model id with aioc-chat instead of 404",
  "invalid-json-500": "a malformed JSON body is a 500 server_error (llama.cpp's parse error)",
  "error-with-200": 'router errors (unknown URL, wrong method) answer 200 {"error": "<message>"}',
  "json-object-not-enforced":
    "chat response_format json_object is answered in plain text (json_schema still holds)",
  "tool-choice-named-ignored": "a chat tool_choice naming a function is ignored: the answer is text",
  "tool-call-after-text": "a forced chat tool call comes after free text in content",
  // responses group (issue #14)
  "responses-no-state":
    "no Responses are stored: GET/DELETE /v1/responses/{id} and input_items are not routed (404), previous_response_id is refused with 400",
  "previous-response-id-dropped":
    "Responses previous_response_id is accepted and ignored: the turn is answered alone and the echo says null, as Ollama does",
  "responses-text-format-ignored": "Responses text.format is ignored: the reply is plain text",
  "responses-tool-choice-named-ignored":
    "a Responses tool_choice naming a function is ignored: the answer is text",
  // Request parameters and reasoning fields (issue #15: src/deviations/params.ts).
  "reasoning-field":
    "chat answers carry the thinking in `reasoning_content` (message and a first stream delta), as vLLM and llama.cpp do for reasoning models",
  "invalid-values-accepted": "chat and Responses take a temperature above 2 (answered 200)",
  "unknown-role-accepted": 'chat takes a message role outside OpenAI\'s ("wizard"), answered 200',
  "n-ignored": "chat `n` is not read: one choice whatever n says (n 0 included)",
  "top-p-zero-rejected":
    'top_p 0 is refused with 400 "top_p must be in (0, 1], got 0.0." (chat and Responses)',
  "tool-choice-ignored":
    'tool_choice is not read (chat and Responses): with tools given the model calls one, "none" or not',
  "multimodal-part-500":
    'chat image_url and input_audio parts and Responses input_image parts are a 500 server_error ("… input is not supported"), as llama-server without --mmproj',
  "max-completion-tokens-ignored":
    "chat max_completion_tokens is ignored (max_tokens still bounds the answer), as Ollama and llama-cpp-python do",
  "audio-output-ignored": "chat modalities/audio are ignored: text only, no message.audio",
  "max-output-tokens-below-minimum": "Responses take max_output_tokens below 16 (8 is answered 200)",
};

/** Every quirk id the server implements (the catalog's deviation ids), with what it changes. */
export const QUIRKS: Readonly<Record<string, string>> = Object.fromEntries(
  DEVIATIONS.map((d) => [d.id, QUIRK_BEHAVIOUR[d.id] ?? "not imitated yet"]),
);

export interface Profile {
  /** The implementation's name in the catalog (matched case-insensitively by deviationsOf). */
  implementation: string;
  /**
   * Catalog entries naming this implementation that the profile does not imitate, with why: fixed in current
   * releases, or only behind an opt-in setting (see the version rule above).
   */
  past: Readonly<Record<string, string>>;
  /** Catalog paths the current release does not serve: they answer 404. */
  missing: readonly string[];
  /** Whether the real server serves its own `/openapi.json` (FastAPI apps do); if not, the profile answers 404. */
  openapi: boolean;
}

export const PROFILES: Readonly<Record<string, Profile>> = {
  "llama.cpp": {
    implementation: "llama.cpp",
    past: {
      "stream-missing-role": "fixed by PR #13634 (May 2025)",
      "chunk-id-changes": "early 2024 (issue #5876); one completion id per stream since",
      "tool-choice-named-ignored":
        "the older of the two llama-server builds tried for issue #10; the current one enforces the named form and lets free text precede the call (tool-call-after-text)",
      "reasoning-field": "only with a reasoning model (the field lab's model does not reason)",
    },
    // llama.cpp tools/server/server.cpp route table: models, completions, chat, responses, transcriptions,
    // embeddings (plus its own /completion, /tokenize, /rerank …); no speech, images, videos, files, batches,
    // fine-tuning or moderations. /v1/models/{model} and translations are deviations, not listed here.
    missing: [
      "/v1/audio/speech",
      "/v1/images/generations",
      "/v1/images/edits",
      "/v1/images/variations",
      "/v1/videos",
      "/v1/videos/{id}",
      "/v1/videos/{id}/content",
      "/v1/files",
      "/v1/fine_tuning/jobs",
      "/v1/batches",
      "/v1/moderations",
      // responses group: measured 404 on the field lab's llama-server (route table: POST /v1/responses only)
      "/v1/responses/compact",
      "/v1/conversations",
      "/v1/uploads",
      // /v1/rerank only with --reranking (opt-in; the profile models the default)
      "/v1/rerank",
      "/v1/realtime",
    ],
    // no /openapi.json route in tools/server/server.cpp
    openapi: false,
  },
  vllm: {
    implementation: "vLLM",
    past: {
      "stream-no-usage": "v0.5.1 only (issue #6371); include_usage works since",
      "stream-usage-every-chunk":
        "v0.5.4 bug (issue #7262); otherwise only with opt-in continuous_usage_stats",
      "missing-chunk-finish-reason": "fixed by PR #19662 (June 2025)",
      "error-not-envelope": "fixed in v0.10.1 (PR #22099)",
      "reasoning-field": "only with --reasoning-parser and a reasoning model",
    },
    // vLLM docs "Online Serving" (supported APIs: completions, chat, responses, embeddings, transcriptions,
    // translations) and its route table; no /v1/files or /v1/batches (LiteLLM docs PR #1567; vLLM PR #44445 open).
    missing: [
      "/v1/audio/speech",
      "/v1/images/generations",
      "/v1/images/edits",
      "/v1/images/variations",
      "/v1/videos",
      "/v1/videos/{id}",
      "/v1/videos/{id}/content",
      "/v1/files",
      "/v1/fine_tuning/jobs",
      "/v1/batches",
      "/v1/moderations",
      // /v1/rerank and /v1/score only when a score/rerank model is served (docs.vllm.ai pooling/score); the profile models a chat model
      "/v1/rerank",
      "/v1/realtime",
    ],
    // FastAPI app: /openapi.json and /docs (its startup log lists both)
    openapi: true,
  },
  ollama: {
    implementation: "Ollama",
    past: {
      "stream-no-usage": "fixed in v0.5.2 (PR #6784)",
      "finish-reason-nonstandard": '"" on stream chunks in 2024 (issue #4357); null since',
      "reasoning-field": "only with a thinking model (the field lab's model does not think)",
    },
    // Ollama server/routes.go at v0.33.0-rc2: /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models,
    // /v1/models/:model, /v1/responses, /v1/audio/transcriptions. The /v1/images routes were removed with the image
    // generation code (PR #16615, July 2026). The field lab's v0.17.4 (the newest on the Go module proxy) still
    // routed images and not yet transcriptions; the profile models the current release.
    missing: [
      "/v1/audio/speech",
      "/v1/images/generations",
      "/v1/images/edits",
      "/v1/images/variations",
      "/v1/videos",
      "/v1/videos/{id}",
      "/v1/videos/{id}/content",
      "/v1/files",
      "/v1/fine_tuning/jobs",
      "/v1/batches",
      "/v1/moderations", // responses group: POST /v1/responses is its only Responses route (same route table)
      "/v1/responses/compact",
      "/v1/conversations",
      "/v1/uploads",
      // no rerank route (server/routes.go)
      "/v1/rerank",
      "/v1/realtime",
    ],
    // gin router, no OpenAPI route
    openapi: false,
  },
  "lm-studio": {
    implementation: "LM Studio",
    past: {},
    // LM Studio docs "OpenAI Compatibility Endpoints": GET /v1/models, POST /v1/responses, /v1/chat/completions,
    // /v1/embeddings, /v1/completions (the server's startup log lists the same, lms issue #425). Anything else is
    // an unknown route, which LM Studio answers 200 {"error": …} (error-with-200), not 404. Whether
    // /v1/models/{model} is served is not documented, so it is not listed (see the page's "Not modelled").
    missing: [
      "/v1/audio/speech",
      "/v1/audio/transcriptions",
      "/v1/audio/translations",
      "/v1/images/generations",
      "/v1/images/edits",
      "/v1/images/variations",
      "/v1/videos",
      "/v1/videos/{id}",
      "/v1/videos/{id}/content",
      "/v1/files",
      "/v1/fine_tuning/jobs",
      "/v1/batches",
      "/v1/moderations",
      // responses group: not in the documented endpoint list above
      "/v1/responses/compact",
      "/v1/conversations",
      "/v1/uploads",
      // no rerank route in its OpenAI compatibility endpoints
      "/v1/rerank",
      "/v1/realtime",
    ],
    // no OpenAPI route documented
    openapi: false,
  },
  litellm: {
    implementation: "LiteLLM",
    past: {
      "model-retrieve-404": "the catalog names only the proxy before the fix for issue #13128 (closed)",
      "chunk-id-changes":
        "one id per stream since PR #1572 (Jan 2024); an OpenAI-compatible backend's chunk id is kept (issue #38098), and the generic path pinned by PR #38106 (Aug 2026)",
      "float-created":
        "v1.41.15 (issue #4654); `created` is coerced to an integer since PR #11971 (June 2025)",
      "speech-wrong-audio-type": "fixed by PR #38798",
    },
    // The proxy fronting an OpenAI-compatible backend: route modules for chat, completions, responses, embeddings,
    // images, audio, videos, files, batches, fine-tuning and moderations. litellm/proxy/image_endpoints/endpoints.py
    // registers generations and edits only. Translations is a deviation (issue #38012), not listed here.
    // It proxies /v1/realtime (docs "Realtime Endpoints") and /v1/rerank (docs "/rerank") to the backend.
    missing: ["/v1/images/variations"],
    // FastAPI proxy: /openapi.json and /docs
    openapi: true,
  },
  localai: {
    implementation: "LocalAI",
    past: {
      "missing-object":
        "v1.9.1 (issue #648); stream chunks carry `object` (core/http/endpoints/openai/chat_emit.go)",
      "missing-index": "fixed by PR #790 (v1.22.0): `choices[].index` is no longer omitempty",
      "stream-usage-every-chunk":
        "fixed by PR #9815 (v4.2.5): usage only on a trailing chunk, with include_usage",
      "missing-chunk-finish-reason":
        "fixed by PR #1745 (v2.10.0): `finish_reason: null` is no longer omitted",
      "stream-missing-index": "2023 (issue #1194); chunks carry `index` since (v2.8.2 log in issue #1744)",
    },
    // LocalAI core/http/routes/openai.go (models, chat, completions, embeddings, moderations, audio
    // transcriptions and speech, images generations/inpainting/upscale), openresponses.go (/v1/responses) and
    // localai.go (its own /video, /api/fine-tuning/*). /v1/models/{model} and translations are deviations.
    missing: [
      "/v1/images/edits",
      "/v1/images/variations",
      "/v1/videos",
      "/v1/videos/{id}",
      "/v1/videos/{id}/content",
      "/v1/files",
      "/v1/fine_tuning/jobs",
      "/v1/batches",
      "/v1/realtime",
    ],
    // serves Swagger UI at /swagger/, no /openapi.json
    openapi: false,
  },
  sglang: {
    implementation: "SGLang",
    past: {
      "stream-no-usage":
        "mid-2024 (issue #954); serving_chat.py sends a usage chunk when include_usage is set",
      "stream-usage-every-chunk": "only with the opt-in stream_options.continuous_usage_stats (PR #12241)",
      "chunk-id-changes":
        "usage chunk of /v1/completions in early 2025 (PR #3760); serving_completions.py gives every chunk the request id",
      "finish-reason-nonstandard":
        '"" in v0.4.3.post2 (issue #3912); serving_chat.py sends null until a final stop/length/tool_calls chunk',
    },
    // SGLang python/sglang/srt/entrypoints/http_server.py: /v1/models, /v1/models/{model}, completions, chat,
    // embeddings, responses, audio transcriptions (plus its own /generate, /v1/rerank, /v1/score …); no speech,
    // images, videos, files, batches, fine-tuning or moderations. Translations is a deviation, not listed here.
    missing: [
      "/v1/audio/speech",
      "/v1/images/generations",
      "/v1/images/edits",
      "/v1/images/variations",
      "/v1/videos",
      "/v1/videos/{id}",
      "/v1/videos/{id}/content",
      "/v1/files",
      "/v1/fine_tuning/jobs",
      "/v1/batches",
      "/v1/moderations",
      "/v1/realtime",
    ],
    // FastAPI app (http_server.py)
    openapi: true,
  },
  tabbyapi: {
    implementation: "TabbyAPI",
    past: {},
    // tabbyAPI endpoints/OAI/router.py (POST /v1/completions, /v1/chat/completions, /v1/embeddings) and
    // endpoints/core/router.py (GET /v1/models, model/LoRA/template management). /v1/models/{model} is a deviation.
    missing: [
      "/v1/responses",
      "/v1/audio/speech",
      "/v1/audio/transcriptions",
      "/v1/audio/translations",
      "/v1/images/generations",
      "/v1/images/edits",
      "/v1/images/variations",
      "/v1/videos",
      "/v1/videos/{id}",
      "/v1/videos/{id}/content",
      "/v1/files",
      "/v1/fine_tuning/jobs",
      "/v1/batches",
      "/v1/moderations",
      // no rerank route (endpoints/OAI/router.py)
      "/v1/rerank",
      "/v1/realtime",
    ],
    // FastAPI app
    openapi: true,
  },
};

/** The quirk ids a profile imitates: the catalog's deviations for the implementation, minus its `past`. */
export function profileQuirks(name: string): string[] {
  const profile = PROFILES[name];
  if (!profile) throw new Error(`no profile ${name}`);
  return deviationsOf(profile.implementation)
    .map((d) => d.id)
    .filter((id) => !Object.hasOwn(profile.past, id));
}

export interface ResolvedQuirks {
  quirks: Set<string>;
  /** Paths the selected profiles do not serve (for `startServer({ missing })`). */
  missing: string[];
  /** False when a selected profile's real server serves no `/openapi.json` (for `startServer({ openapi })`). */
  openapi: boolean;
}

/**
 * Expands `--quirks` entries (profile names and `dev:<id>`) into quirk ids and the profiles' missing routes;
 * unknown names are an error.
 */
export function resolveQuirkList(list: readonly string[]): ResolvedQuirks {
  const quirks = new Set<string>();
  const missing = new Set<string>();
  let openapi = true;
  for (const raw of list) {
    const entry = raw.trim();
    if (entry === "") continue;
    if (Object.hasOwn(PROFILES, entry)) {
      for (const id of profileQuirks(entry)) quirks.add(id);
      for (const path of PROFILES[entry]!.missing) missing.add(path);
      openapi &&= PROFILES[entry]!.openapi;
    } else if (entry.startsWith("dev:") && Object.hasOwn(QUIRKS, entry.slice(4))) {
      quirks.add(entry.slice(4));
    } else {
      throw new UsageError(
        `unknown quirk "${entry}"; expected a profile (${Object.keys(PROFILES).join(", ")}) or dev:<id> ` +
          `with id one of ${Object.keys(QUIRKS).join(", ")}`,
      );
    }
  }
  return { quirks, missing: [...missing], openapi };
}

/** The quirk ids only (see resolveQuirkList for the profiles' missing routes too). */
export function resolveQuirks(list: readonly string[]): Set<string> {
  return resolveQuirkList(list).quirks;
}
