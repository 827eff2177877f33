import { startServer } from "./src/serve/server.ts";
import { runProbe } from "./src/probe/run.ts";
const s = await startServer({ port: 0 });
const r = await runProbe({ baseUrl: s.url, apiKey: "sk-secret-test-1234", only: new RegExp(process.argv[2] ?? "^client:openai-python"), depth: "standard", timeoutMs: 10000, concurrency: 4, maxBodyBytes: 1<<20, python: process.argv[3] } as any);
for (const x of r.results) console.log(x.id, x.status, x.detail, x.requests, x.httpStatus);
await s.close();
