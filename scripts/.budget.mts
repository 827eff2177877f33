import { runProbe } from "../src/probe/run.js";
import { startServer } from "../src/serve/server.js";
const server = await startServer({ port: 0, host: "127.0.0.1", apiKey: "sk-test" } as never);
const base = { baseUrl: server.url, apiKey: "sk-test", timeoutMs: 30000, concurrency: 4, maxBodyBytes: 16 << 20 };
const skip = /^client:openai-python\//;
for (const [name, opts] of [
  ["quick", { depth: "quick" }],
  ["standard", { depth: "standard" }],
  ["standard --no-clients", { depth: "standard", clients: false }],
  ["standard --params", { depth: "standard", params: true }],
  ["deep", { depth: "deep" }],
] as const) {
  const r = await runProbe({ ...base, ...opts } as never);
  const chatP = r.results.filter((x) => /^\/v1\/chat\/completions\[(param|invalid):/.test(x.id));
  const respP = r.results.filter((x) => /^\/v1\/responses\[(param|invalid):/.test(x.id));
  const sum = (a: typeof chatP) => a.reduce((n, x) => n + x.requests, 0);
  console.log(name, "rows", r.results.length, "requests", r.requests, "summary", JSON.stringify(r.summary), "chat matrix", chatP.length, sum(chatP), "responses matrix", respP.length, sum(respP), "python rows", r.results.filter((x) => skip.test(x.id)).map((x) => x.status).join(""));
}
await server.close();
