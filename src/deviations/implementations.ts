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
      'Error bodies carry `error.code` as an integer HTTP status (`{"code": 500, …}`); the profile keeps the ' +
        "reference server's string-or-null code, so no extra envelope findings appear.",
      "llama-server serves whichever model it loaded whatever `model` a request names; the profile answers an " +
        "unknown model with 404 like the reference server.",
    ],
    sources: [
      "llama.cpp tools/server/server.cpp (route table, ex_wrapper)",
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
      'Unknown routes answer FastAPI\'s `{"detail": "Not Found"}` (vLLM issues #3663, #5082); the catalog ' +
        "attributes error-not-envelope to vLLM only before v0.10.1, so the profile's missing routes answer the " +
        "OpenAI envelope.",
    ],
    sources: [
      "vLLM docs: Online Serving",
      "vLLM vllm/entrypoints/openai/models/api_router.py",
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
      "`POST /v1/images/edits` binds a JSON body with a base64 `image` field (middleware/openai.go " +
        "ImageEditsMiddleware), not multipart; the catalog does not attribute images-edits-json to Ollama yet, " +
        "so the profile serves edits canonically.",
    ],
    sources: [
      "Ollama server/routes.go (route table)",
      "Ollama middleware/openai.go (ImageEditsMiddleware)",
      "Ollama issue #6422",
    ],
  },
];

export function notesFor(profile: string): ImplementationNotes | undefined {
  return IMPLEMENTATION_NOTES.find((n) => n.profile === profile);
}
