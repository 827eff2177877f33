/**
 * Static notes on the implementations aioc has profiles for (`aioc serve --quirks <profile>`): what each one is,
 * where its route list comes from, what it serves beyond OpenAI's API, and what its profile does not imitate.
 * docs/implementations/<profile>.md is generated from these notes, the catalog and a probe of the profile
 * (scripts/gen-implementation-docs.ts). Sources are link-free, like the catalog's.
 */

export interface Extra {
  /** Route(s), e.g. `POST /tokenize`. */
  route: string;
  what: string;
}

export interface ImplementationNotes {
  /** The profile name (a key of PROFILES in src/serve/quirks.ts). */
  profile: string;
  /** Display name. */
  title: string;
  /** One or two sentences: what it is and how it is run. */
  about: string;
  /** Where the list of routes it serves (and so the profile's `missing`) was taken from. */
  routeSources: string[];
  /** What it serves beyond OpenAI's API. */
  extras: Extra[];
  /** Behaviour of the real server the profile does not imitate, and why. */
  notModelled: string[];
  sources: string[];
}

export const IMPLEMENTATION_NOTES: readonly ImplementationNotes[] = [
  {
    profile: "llama.cpp",
    title: "llama.cpp (llama-server)",
    about:
      "llama-server, the HTTP server of llama.cpp: one GGUF model per process (or a router over several), " +
      "OpenAI-compatible routes next to its own native API.",
    routeSources: ["llama.cpp tools/server/server.cpp (route table)"],
    extras: [
      { route: "POST /completion, /completions", what: "native completion API (llama.cpp sampling options)" },
      { route: "POST /infill", what: "fill-in-the-middle for code completion" },
      { route: "POST /tokenize, /detokenize", what: "tokenizer access" },
      { route: "POST /apply-template", what: "renders the chat template without generating" },
      { route: "POST /embedding, /embeddings", what: "native embeddings (per-token pooling options)" },
      { route: "POST /rerank, /v1/rerank", what: "reranking (Jina/Cohere style)" },
      { route: "POST /v1/messages, /v1/messages/count_tokens", what: "Anthropic Messages API" },
      {
        route: "GET /health, /metrics, /props, /slots",
        what: "health, Prometheus metrics, server and slot state",
      },
      { route: "GET/POST /lora-adapters", what: "LoRA adapter hot-swap" },
    ],
    notModelled: [
      "Error envelopes carry no `param` (format_error_response builds `{code, message, type}`); the profile " +
        "keeps `param: null`, so no spec-required finding appears for it.",
      "Responses stream events carry no `sequence_number`, and the snapshots only `{id, object, status}`; the " +
        "profile drops `output` from them (responses-created-no-output) and the indexes from the events " +
        "(responses-events-no-index), and keeps the rest.",
    ],
    sources: [
      "llama.cpp tools/server/server.cpp (route table, ex_wrapper)",
      "llama.cpp tools/server/server-common.cpp (format_error_response)",
      "llama.cpp tools/server/server-task.cpp (Responses events)",
      "llama.cpp tools/server/README.md (API endpoints)",
      "llama.cpp issue #11738 (parse errors answered 500)",
    ],
  },
  {
    profile: "vllm",
    title: "vLLM",
    about:
      "vLLM's OpenAI-compatible server (`vllm serve`): one model (plus LoRA adapters) per server, FastAPI " +
      "routes for the OpenAI APIs it supports and several of its own.",
    routeSources: [
      "vLLM docs: Online Serving (supported APIs)",
      "vLLM vllm/entrypoints/openai/models/api_router.py (GET /v1/models only)",
      "LiteLLM docs PR #1567 (vLLM has no /v1/files or /v1/batches)",
    ],
    extras: [
      { route: "POST /v1/chat/completions/batch", what: "several chat requests in one call" },
      {
        route: "GET /v1/responses/{id}, POST /v1/responses/{id}/cancel",
        what: "stored and background responses",
      },
      { route: "POST /v1/messages, /v1/messages/count_tokens", what: "Anthropic Messages API" },
      { route: "POST /v2/embed", what: "Cohere Embed API" },
      { route: "POST /rerank, /v1/rerank, /v2/rerank", what: "reranking (Jina/Cohere style)" },
      { route: "POST /score, /v1/score", what: "sentence-pair scoring" },
      { route: "POST /pooling, /classify", what: "raw pooling output and classification" },
      { route: "POST /tokenize, /detokenize", what: "tokenizer access" },
      { route: "GET /health, /ping, /version, /metrics", what: "health, version, Prometheus metrics" },
    ],
    notModelled: [
      'With --api-key, a request without a valid key gets 401 `{"error": "Unauthorized"}` (AuthenticationMiddleware ' +
        "in vllm/entrypoints/openai/server_utils.py), not the envelope; the profile answers the envelope with " +
        "its integer code (error-code-integer).",
      'Unknown routes answer FastAPI\'s `{"detail": "Not Found"}` (vLLM issues #3663, #5082); the catalog ' +
        "attributes error-not-envelope to vLLM only before v0.10.1, so the profile's missing routes answer the " +
        "OpenAI envelope.",
    ],
    sources: [
      "vLLM docs: Online Serving",
      "vLLM vllm/entrypoints/openai/models/api_router.py",
      "vLLM vllm/entrypoints/openai/server_utils.py (AuthenticationMiddleware)",
      "vLLM PR #44445 (Files and Batches API, open)",
      "LiteLLM docs PR #1567",
    ],
  },
  {
    profile: "ollama",
    title: "Ollama",
    about:
      "Ollama's server (`ollama serve`): its native `/api/*` API plus an OpenAI-compatible layer under `/v1` " +
      "that translates to it.",
    routeSources: ["Ollama server/routes.go (route table)"],
    extras: [
      { route: "POST /api/generate, /api/chat", what: "native generation and chat (NDJSON streams)" },
      { route: "POST /api/embed, /api/embeddings", what: "native embeddings" },
      {
        route: "GET /api/tags, POST /api/show, GET /api/ps",
        what: "local models, model details, loaded models",
      },
      {
        route: "POST /api/pull, /api/push, /api/create, /api/copy, DELETE /api/delete",
        what: "model management",
      },
      { route: "GET /api/version", what: "server version" },
      { route: "POST /v1/messages", what: "Anthropic Messages API" },
    ],
    notModelled: [
      "Unknown routes answer plain text `404 page not found` (issue #6422); the profile answers " +
        '`{"detail": "Not Found"}`, which the probe grades the same way (error-not-envelope).',
      "Measured on v0.17.4 in the field lab (docs/field-reports.md) and still so in the v0.33.0-rc2 source " +
        "(openai/openai.go, openai/responses.go), each now a catalog deviation the profile imitates: `n`, " +
        "`max_completion_tokens` and Responses `previous_response_id` are ignored (n-ignored, " +
        "max-completion-tokens-ignored, previous-response-id-dropped).",
      "A model imported from a GGUF gets `{{ .Prompt }}` and no tools capability unless Ollama recognises its " +
        "chat template or the Modelfile brings one (the field lab brings a Qwen 2.5 Go template).",
    ],
    sources: [
      "Ollama server/routes.go (route table)",
      "Ollama PR #16615 (image generation removed, /v1/images routes with it)",
      "Ollama issue #6422",
      "field lab: Ollama v0.17.4 (docs/field-reports.md)",
    ],
  },
  {
    profile: "lm-studio",
    title: "LM Studio",
    about:
      "LM Studio's local server (the app's Developer tab or `lms server start`, port 1234 by default): " +
      "OpenAI- and Anthropic-compatible endpoints next to its own REST API, with just-in-time model loading.",
    routeSources: [
      "LM Studio docs: OpenAI Compatibility Endpoints (supported endpoints)",
      "lms issue #425 (the server's startup log of supported endpoints)",
    ],
    extras: [
      { route: "POST /v1/messages", what: "Anthropic Messages API" },
      { route: "POST /api/v1/chat", what: "native chat (stateful chats, MCP tools)" },
      {
        route: "GET /api/v1/models, POST /api/v1/models/load, /api/v1/models/unload",
        what: "model listing, load and unload",
      },
      {
        route: "POST /api/v1/models/download, GET /api/v1/models/download/status",
        what: "model download and its progress",
      },
      {
        route:
          "GET /api/v0/models, /api/v0/models/{model}; POST /api/v0/chat/completions, /api/v0/completions, /api/v0/embeddings",
        what: "v0 REST API (model state, quantization, tokens/s and time-to-first-token stats)",
      },
    ],
    notModelled: [
      "missing-created is sourced for `/v1/models` entries only (issues #1988, #1998); the quirk also drops " +
        "`created` from GET /v1/models/{model} and from chat and completions stream chunks, which the sources do " +
        "not describe.",
      "GET /v1/models/{model} is not among the documented endpoints, and issue #1988 reports 400 for " +
        "`GET /v1/models//<id>`; whether one model can be retrieved is not established, so the profile serves it.",
      'Unknown routes answer 200 `{"error": "Unexpected endpoint or method. (…)"}` (error-with-200), so the ' +
        "profile's missing routes answer 200 too and the client rows built on them run instead of skipping: " +
        "transcriptions and image generation fail, while openai-node's speech call returns the error body as audio " +
        "bytes and passes.",
    ],
    sources: [
      "LM Studio docs: OpenAI Compatibility Endpoints",
      "LM Studio docs: LM Studio API (v1 REST API)",
      "LM Studio docs: REST API v0",
      "LM Studio docs: Anthropic Compatibility Endpoints",
      "lms issue #425",
      "LM Studio bug tracker issues #618, #830, #1323, #1988, #1998, #2085",
      "thane-ai-agent PR #1396",
    ],
  },
  {
    profile: "litellm",
    title: "LiteLLM (proxy)",
    about:
      "The LiteLLM proxy (`litellm --config config.yaml`, port 4000 by default): a gateway that serves the OpenAI " +
      "API and routes each request to a configured backend. This profile models the proxy in front of an " +
      "OpenAI-compatible backend that serves every route the proxy forwards.",
    routeSources: [
      "LiteLLM docs: Supported API Endpoints",
      "LiteLLM litellm/proxy/image_endpoints/endpoints.py (POST /v1/images/generations and /v1/images/edits)",
      "LiteLLM issue #38012 (/v1/audio/translations is not registered)",
    ],
    extras: [
      { route: "POST /v1/messages", what: "Anthropic Messages API (LiteLLM PR #39037)" },
      { route: "POST /rerank", what: "reranking (Cohere style)" },
      {
        route: "GET /v1/model/info, POST /model/new",
        what: "model details (cost, limits) and model management",
      },
      { route: "POST /key/generate", what: "virtual keys with budgets, rate limits and model access" },
      { route: "GET /v1/realtime", what: "Realtime API (WebSocket)" },
    ],
    notModelled: [
      "A route the backend lacks is still routed by the proxy, which answers with the backend's error mapped " +
        "into its envelope, not with a router 404; the profile's backend serves every route, so only the proxy's " +
        "own gaps are missing.",
      'Proxy errors carry `error.code` as a string such as "400" and often `type` and `param` as the string ' +
        '"None" (LiteLLM PR #39037 shows it); the profile keeps the reference server\'s envelope.',
      "Whether streamed /v1/completions still change `id` per chunk (issue #14429, v1.74.15, closed without a " +
        "linked fix) is not established; the profile keeps one id per stream.",
      "The SDK's image variations (`litellm.image_variation`, PR #7700) has no proxy route in the cited route " +
        "module, so /v1/images/variations is missing; a newer release may add it.",
      "Measured on proxy 1.106.12 in front of llama-server (field lab, docs/field-reports.md; 1.109+ pin proxy " +
        "packages the registry does not serve) with no catalog deviation yet, so the profile does not imitate it: " +
        "500 for a request without a key and 400 for a wrong key (not 401); 400 for an unknown model (not 404); " +
        "/v1/completions streams re-encoded with a zero `usage` on every chunk and a finish chunk without `text`; " +
        "`dimensions` refused with 400 for an openai/ embedding deployment; /v1/fine_tuning/jobs and /v1/batches " +
        'a 500 for non-enterprise users; /v1/rerank a 500 "Unsupported provider: openai".',
    ],
    sources: [
      "LiteLLM docs: Supported API Endpoints",
      "LiteLLM docs: [BETA] Image Variations",
      "LiteLLM docs: Model Management",
      "LiteLLM provider_endpoints_support.json (endpoint list: /rerank …)",
      "LiteLLM issues #4654, #13128, #14429, #15235, #38012, #38098",
      "LiteLLM PRs #1572, #7700, #11971, #38106, #38798, #39037",
      "field lab: LiteLLM proxy 1.106.12 (docs/field-reports.md)",
    ],
  },
  {
    profile: "localai",
    title: "LocalAI",
    about:
      "LocalAI (`local-ai run`, port 8080 by default): a Go server that loads many model backends (llama.cpp, " +
      "whisper, diffusers, TTS engines …) behind an OpenAI-compatible API, with Ollama-, Anthropic-, Jina- and " +
      "ElevenLabs-style routes and its own management API.",
    routeSources: [
      "LocalAI core/http/routes/openai.go (route table)",
      "LocalAI core/http/routes/openresponses.go, localai.go and finetuning.go",
    ],
    extras: [
      { route: "POST /v1/images/inpainting, /v1/images/upscale", what: "inpainting with a mask, upscaling" },
      { route: "POST /v1/edits", what: "legacy OpenAI edits" },
      {
        route: "POST /v1/audio/diarization, /v1/audio/classification",
        what: "diarization, sound classification",
      },
      { route: "POST /v1/rerank", what: "reranking (Jina style)" },
      { route: "POST /v1/messages", what: "Anthropic Messages API" },
      { route: "POST /api/chat, /api/generate, GET /api/tags", what: "Ollama API" },
      {
        route: "POST /v1/text-to-speech/{voice-id}, /v1/sound-generation",
        what: "ElevenLabs-style speech and sound generation",
      },
      {
        route: "POST /tts, /vad, /video, /3d/generations",
        what: "native TTS, voice activity detection, video, 3D",
      },
      { route: "POST /v1/tokenize, /v1/detokenize", what: "tokenizer access" },
      {
        route: "POST /v1/detection, /v1/depth, /v1/face/*, /v1/voice/*",
        what: "detection, depth, face and voice",
      },
      { route: "GET /v1/realtime, POST /v1/realtime/sessions", what: "Realtime API (WebSocket)" },
      { route: "POST /stores/set, /stores/get, /stores/find, /stores/delete", what: "vector store" },
      {
        route: "/api/fine-tuning/jobs …",
        what: "its own fine-tuning API (not OpenAI's /v1/fine_tuning/jobs)",
      },
      {
        route: "POST /models/apply, GET /models/available, /healthz, /readyz, /metrics",
        what: "model gallery, health, Prometheus metrics",
      },
    ],
    notModelled: [
      "missing-created is current for `/v1/models` entries only (schema.OpenAIModel has id and object); the " +
        "quirk also drops `created` from stream chunks, which current LocalAI sends, so the stream rows overstate it.",
      "`/v1/models` entries also lack `owned_by`; no catalog deviation covers it, so the profile keeps it.",
      "Error bodies carry `error.code` as an integer HTTP status and `error.type` empty (core/http/render.go); " +
        "the profile keeps the reference server's code and type.",
      "Translation is the `translate` form field of /v1/audio/transcriptions; the profile's transcriptions ignore it.",
    ],
    sources: [
      "LocalAI core/http/routes/openai.go (route table)",
      "LocalAI core/http/app.go and core/http/render.go (error handler)",
      "LocalAI core/schema/openai.go",
      "LocalAI core/http/endpoints/openai/chat_emit.go",
      "LocalAI issues #648, #1194, #1744",
      "LocalAI PRs #790, #1745, #9815",
    ],
  },
  {
    profile: "sglang",
    title: "SGLang",
    about:
      "SGLang's runtime server (`python -m sglang.launch_server`, port 30000 by default): one model per server, " +
      "FastAPI routes for the OpenAI APIs next to its native /generate API and Ollama- and Anthropic-style routes.",
    routeSources: [
      "SGLang python/sglang/srt/entrypoints/http_server.py (route table)",
      "SGLang docs: OpenAI-Compatible APIs",
    ],
    extras: [
      { route: "POST /generate", what: "native generation (SGLang sampling parameters)" },
      {
        route: "POST /encode, /classify, /v1/classify",
        what: "native embeddings, reward and classification models",
      },
      { route: "POST /v1/rerank, /v1/score", what: "reranking and scoring" },
      { route: "POST /v1/tokenize, /v1/detokenize", what: "tokenizer access" },
      {
        route: "GET /v1/responses/{id}, POST /v1/responses/{id}/cancel",
        what: "stored and background responses",
      },
      { route: "POST /v1/messages", what: "Anthropic Messages API" },
      { route: "POST /api/chat, /api/generate, GET /api/tags, POST /api/show", what: "Ollama API" },
      {
        route: "GET /health, /health_generate, /get_model_info, /get_server_info",
        what: "health and server state",
      },
      {
        route: "POST /flush_cache, /update_weights_from_disk, /load_lora_adapter",
        what: "runtime control (cache, weights, LoRA)",
      },
    ],
    notModelled: [
      'Errors from the OpenAI handlers are a flat `{"object": "error", "message", "type", "param", "code"}` ' +
        '(issue #33504); the quirk makes router errors FastAPI\'s `{"detail": …}`, which is what SGLang answers ' +
        "for unknown routes, but leaves the handlers' own errors (an unknown model, say) in the envelope.",
      "SGLang Diffusion, a separate server mode for image and video models, serves /v1/images/generations, " +
        "/v1/images/edits and /v1/videos; this profile models the language-model server.",
      "Older releases also served /v1/files and /v1/batches (openai_api/adapter.py); the current route table " +
        "has neither.",
    ],
    sources: [
      "SGLang python/sglang/srt/entrypoints/http_server.py (route table, exception handlers)",
      "SGLang python/sglang/srt/entrypoints/openai/serving_chat.py, serving_completions.py, serving_transcription.py",
      "SGLang docs: OpenAI-Compatible APIs",
      "SGLang docs: SGLang Native APIs",
      "SGLang issues #954, #3912, #33504",
      "SGLang PRs #3760, #9624, #12241, #33534",
    ],
  },
  {
    profile: "tabbyapi",
    title: "TabbyAPI",
    about:
      "TabbyAPI (`python main.py` or the start scripts, port 5000 by default): an ExLlamaV3 server with " +
      "OpenAI-compatible completions, chat and embeddings, model, LoRA and template management, and an optional " +
      "KoboldAI API.",
    routeSources: [
      "tabbyAPI endpoints/OAI/router.py (route table)",
      "tabbyAPI endpoints/core/router.py (route table)",
    ],
    extras: [
      {
        route: "GET /v1/model, POST /v1/model/load, /v1/model/unload",
        what: "the loaded model; load and unload (admin key)",
      },
      { route: "GET /v1/loras, POST /v1/lora/load, /v1/lora/unload", what: "LoRA adapters" },
      { route: "POST /v1/model/embedding/load, /v1/model/embedding/unload", what: "embedding model" },
      { route: "POST /v1/token/encode, /v1/token/decode", what: "tokenizer access" },
      { route: "GET /v1/templates, POST /v1/template/switch", what: "prompt templates" },
      {
        route: "GET /v1/sampling/overrides, POST /v1/sampling/override/switch",
        what: "sampler override presets",
      },
      { route: "POST /v1/download", what: "download a model from Hugging Face (admin key)" },
      { route: "GET /health, /props, /v1/auth/permission", what: "health, model properties, key permission" },
      { route: "/api/v1/*, /api/extra/*", what: "KoboldAI API (when `api_servers` includes kobold)" },
    ],
    notModelled: [
      'Request validation errors (malformed JSON included) answer 422 with FastAPI\'s `{"detail": [...]}`; the ' +
        "profile answers them as the reference server does, so only router errors show error-not-envelope.",
      "Context-length errors are the one error TabbyAPI sends in the OpenAI envelope (common/errors.py).",
      "Without an admin key, /v1/models lists only the loaded model; with one, every model in the model directory.",
    ],
    sources: [
      "tabbyAPI endpoints/OAI/router.py",
      "tabbyAPI endpoints/core/router.py",
      "tabbyAPI endpoints/server.py",
      "tabbyAPI common/errors.py, common/auth.py",
      "tabbyAPI docs/02.-Server-options.md",
    ],
  },
];

export function notesFor(profile: string): ImplementationNotes | undefined {
  return IMPLEMENTATION_NOTES.find((n) => n.profile === profile);
}
