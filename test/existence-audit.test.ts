/**
 * Truth audit of existence, scope and run-level verdicts (session 2026-12-02b): servers shaped like real
 * deployments and plausible-but-wrong ones, each row's status and reason asserted.
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { describe, test } from "node:test";
import { exitCodeFor } from "../src/commands/probe.js";
import { runProbe } from "../src/probe/run.js";
import { byId } from "./helpers/results.js";
import { json, startScripted } from "./helpers/scripted-server.js";
import { startServeProxy } from "./helpers/serve-proxy.js";

const probe = (url: string, extra: Partial<Parameters<typeof runProbe>[0]> = {}) =>
  runProbe({
    baseUrl: url,
    timeoutMs: 5000,
    concurrency: 4,
    depth: "quick",
    maxBodyBytes: 1 << 20,
    ...extra,
  });

const html = (res: ServerResponse, status: number, text: string) => {
  res.writeHead(status, { "content-type": "text/html" });
  res.end(text);
};

/** aioc serve with only the llm routes; everything else answered by `other`. */
const llmOnly = (other: (res: ServerResponse, path: string, method: string) => void) =>
  startServeProxy((req, res) => {
    if (/^\/v1\/(models|chat\/completions|completions|embeddings)(\/|$)/.test(req.path)) return false;
    other(res, req.path, req.method);
    return true;
  });

describe("scope", () => {
  test("--expect grades a route absent behind a uniform 405 (FastAPI's detail) like a 404 one", async () => {
    const server = await llmOnly((res) => {
      res.writeHead(405, { "content-type": "application/json", allow: "GET" });
      res.end(JSON.stringify({ detail: "Method Not Allowed" }));
    });
    try {
      const report = await probe(server.url, { expect: ["models", "chat", "completions", "embeddings"] });
      for (const id of ["/v1/moderations", "/v1/audio/speech", "/v1/files"]) {
        const r = byId(report, id);
        assert.equal(r.status, "SKIP", `${id}: ${r.detail}`);
        assert.equal(r.detail, "not offered (405); outside --expect", id);
      }
      assert.equal(report.summary.FAIL, 0);
      assert.equal(exitCodeFor(report.summary, "fail", report.notices), 0);
      const inside = await probe(server.url, { expect: ["models", "chat", "moderations"] });
      const moderations = byId(inside, "/v1/moderations");
      assert.equal(moderations.status, "FAIL");
      assert.equal(
        moderations.detail,
        "405 — answers like a path that cannot exist (absent), but --expect includes moderations",
      );
    } finally {
      await server.close();
    }
  });
});

describe("catch-alls answering 2xx on every path", () => {
  const models = { object: "list", data: [{ id: "m", object: "model", created: 1, owned_by: "me" }] };

  test("an SPA's index.html served with 200 on every path passes for no route", async () => {
    const page =
      "<!doctype html><html><head><title>Chat UI</title></head><body><div id=root></div></body></html>";
    const server = await startScripted({ "GET /v1/models": (_q, res) => json(res, 200, models) }, (_q, res) =>
      html(res, 200, page),
    );
    try {
      const report = await probe(server.url);
      const files = byId(report, "/v1/files");
      assert.equal(files.status, "WARN");
      assert.equal(
        files.detail,
        "200 — answers exactly like a path that cannot exist, so the route is absent (an HTML page: Chat UI) (optional)",
      );
      const chat = byId(report, "/v1/chat/completions");
      assert.equal(chat.status, "FAIL");
      assert.equal(
        chat.detail,
        "200 — answers exactly like a path that cannot exist, so the route is absent (an HTML page: Chat UI)",
      );
      assert.equal(byId(report, "/v1/models").status, "PASS");
    } finally {
      await server.close();
    }
  });

  test("a server answering 200 {} to everything: every route absent, said once, not 'data missing'", async () => {
    const server = await startScripted({}, (_q, res) => json(res, 200, {}));
    try {
      const report = await probe(server.url);
      const models = byId(report, "/v1/models");
      assert.equal(models.status, "FAIL");
      assert.equal(
        models.detail,
        "200 — answers exactly like a path that cannot exist, so the route is absent ({})",
      );
      const batches = byId(report, "/v1/batches");
      assert.equal(batches.status, "WARN");
      assert.match(
        batches.detail,
        /^200 — answers exactly like a path that cannot exist, so the route is absent/,
      );
      // Rows without a model keep their skip, without claiming the route exists.
      const speech = byId(report, "/v1/audio/speech");
      assert.equal(speech.status, "SKIP");
      assert.equal(speech.detail, "no tts model advertised; pass --tts-model");
      assert.equal(report.notices?.length, 1);
      assert.equal(report.notices?.[0]?.kind, "not-an-api");
      assert.match(report.notices![0]!.message, /every route answered exactly like a path that cannot exist/);
    } finally {
      await server.close();
    }
  });
});

test("a gateway answering every path 404 'model not found' (routing by model) has no files route", async () => {
  const models = { object: "list", data: [{ id: "m", object: "model", created: 1, owned_by: "me" }] };
  const notFound = {
    message: "The model `m` does not exist",
    type: "invalid_request_error",
    code: "model_not_found",
  };
  const server = await startScripted({ "GET /v1/models": (_q, res) => json(res, 200, models) }, (_q, res) =>
    json(res, 404, { error: notFound }),
  );
  try {
    const report = await probe(server.url, { only: /^\/v1\/(models|files|batches)$/ });
    for (const id of ["/v1/files", "/v1/batches"]) {
      const r = byId(report, id);
      assert.equal(r.status, "WARN", `${id}: ${r.detail}`);
      assert.equal(
        r.detail,
        "404 — answers exactly like a path that cannot exist, so the route is absent (The model `m` does not exist) (optional)",
      );
    }
  } finally {
    await server.close();
  }
});

describe("auth refusals are SKIP with how to fix them, never FAIL", () => {
  const invalidKey = {
    error: {
      message: "Incorrect API key provided",
      type: "invalid_request_error",
      param: null,
      code: "invalid_api_key",
    },
  };

  test("a wrong key on every route: SKIP 'key rejected', one notice naming the key, not 19 FAILs", async () => {
    const server = await startScripted({}, (_q, res) => json(res, 401, invalidKey));
    try {
      const report = await probe(server.url, { apiKey: "sk-wrong" });
      assert.equal(report.summary.FAIL, 0);
      const chat = byId(report, "/v1/chat/completions");
      assert.equal(chat.status, "SKIP");
      assert.equal(
        chat.detail,
        "401 — key rejected: Incorrect API key provided; check --api-key and how it is sent (--auth bearer|api-key, -H)",
      );
      assert.deepEqual(report.notices, [
        {
          kind: "nothing-checked",
          message:
            "nothing was checked: every request was refused with 401: the key was rejected; check --api-key and how it is sent (--auth bearer|api-key, -H)",
        },
      ]);
    } finally {
      await server.close();
    }
  });

  test("a Cloudflare block page (403 HTML) is not 'auth required; pass --api-key' nor 'key rejected'", async () => {
    const page =
      "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have been blocked</body></html>";
    const server = await startScripted({}, (_q, res) => html(res, 403, page));
    try {
      for (const apiKey of [undefined, "sk-real"]) {
        const report = await probe(server.url, { apiKey });
        assert.equal(report.summary.FAIL, 0);
        const models = byId(report, "/v1/models");
        assert.equal(models.status, "SKIP");
        assert.equal(
          models.detail,
          "403 — refused before the API (an HTML page: Attention Required! | Cloudflare); a firewall or proxy in front? -H sends what it needs",
        );
        assert.equal(report.notices?.length, 1);
        assert.equal(
          report.notices?.[0]?.message,
          "nothing was checked: every request was refused with 403 before it reached the API (an HTML page: Attention Required! | Cloudflare): a firewall or proxy in front? -H sends what it needs",
        );
      }
    } finally {
      await server.close();
    }
  });
});

test("nginx answering 502 for a route whose upstream is down: SKIP inconclusive, not a server defect", async () => {
  const page = (what: string) =>
    `<html><head><title>${what}</title></head><body><center><h1>${what}</h1></center><hr><center>nginx</center></body></html>`;
  const server = await llmOnly((res, path) => {
    if (path.startsWith("/v1/aioc-calibration-"))
      html(res, 404, "<html><head><title>404 Not Found</title></head></html>");
    else if (path.startsWith("/v1/audio/")) html(res, 502, page("502 Bad Gateway"));
    else html(res, 504, page("504 Gateway Time-out"));
  });
  try {
    const report = await probe(server.url, {
      only: /^\/v1\/(models|chat\/completions|audio\/speech|files)$/,
    });
    assert.equal(byId(report, "/v1/chat/completions").status, "PASS");
    const speech = byId(report, "/v1/audio/speech");
    assert.equal(speech.status, "SKIP");
    assert.equal(
      speech.detail,
      "inconclusive: 502 (an HTML page: 502 Bad Gateway): a proxy or gateway in front got no valid answer from the server behind it",
    );
    const files = byId(report, "/v1/files");
    assert.equal(files.status, "SKIP");
    assert.equal(
      files.detail,
      "inconclusive: 504 (an HTML page: 504 Gateway Time-out): a proxy or gateway in front got no answer in time from the server behind it",
    );
    assert.equal(report.summary.FAIL, 0);
    assert.equal(report.notices, undefined);
  } finally {
    await server.close();
  }
});

test("GET /v1/files answered 405 (Allow: POST, FastAPI's detail): the list operation is absent, not a FAIL of another kind", async () => {
  const models = { object: "list", data: [{ id: "m", object: "model", created: 1, owned_by: "me" }] };
  const server = await startScripted({
    "GET /v1/models": (_q, res) => json(res, 200, models),
    "/v1/files": (_q, res) => json(res, 405, { detail: "Method Not Allowed" }, { allow: "POST" }),
  });
  try {
    const report = await probe(server.url, { only: /^\/v1\/(models|files)$/ });
    const files = byId(report, "/v1/files");
    assert.equal(files.status, "WARN");
    assert.equal(files.detail, "405 — GET not allowed (Allow: POST): the operation is absent (optional)");
    const scoped = await probe(server.url, { only: /^\/v1\/(models|files)$/, expect: ["models", "chat"] });
    assert.equal(byId(scoped, "/v1/files").status, "SKIP");
    assert.equal(byId(scoped, "/v1/files").detail, "not offered (405); outside --expect");
  } finally {
    await server.close();
  }
});
