/**
 * The HTML report in a real browser: counts, filters, expandable rows, no network, no injected code.
 * Needs /usr/bin/chromium (Debian's chromium; `npm test`'s pretest installs it as root); AIOC_SKIP_BROWSER=1 skips.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { renderHtml } from "../src/render/html.js";
import type { Report } from "../src/report/types.js";
import { STATUSES } from "../src/report/types.js";
import { probeServe } from "./helpers/real-reports.js";
import { HOSTILE, hostileReport, sampleReport } from "./helpers/sample-report.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const skip = process.env.AIOC_SKIP_BROWSER === "1" && !existsSync(CHROMIUM);

interface Opened {
  page: Page;
  /** Every request the page tried that was not for a file: URL. */
  network: string[];
  errors: string[];
}

describe("HTML report in Chromium", { skip: skip && "AIOC_SKIP_BROWSER=1 and no /usr/bin/chromium" }, () => {
  let context: BrowserContext;
  let profile: string;

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: install it (apt-get install -y chromium) or set AIOC_SKIP_BROWSER=1 to skip`,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), "aioc-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(
    report: Report,
    name: string,
    viewport = { width: 1280, height: 900 },
  ): Promise<Opened> {
    const file = join(ARTIFACTS, `${name}.html`);
    writeFileSync(file, renderHtml(report));
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    const network: string[] = [];
    const errors: string[] = [];
    page.on("request", (req) => {
      if (!req.url().startsWith("file:")) network.push(req.url());
    });
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text());
    });
    page.on("pageerror", (err) => errors.push(err.message));
    await page.route("**", (route) =>
      route.request().url().startsWith("file:") ? route.continue() : route.abort("blockedbyclient"),
    );
    await page.goto(pathToFileURL(file).href);
    return { page, network, errors };
  }

  it("shows the summary counts, filters by status and expands a row to its response", async () => {
    const report = sampleReport();
    const { page, network, errors } = await open(report, "report");
    for (const s of STATUSES)
      assert.equal(await page.textContent(`#count-${s}`), String(report.summary[s]), s);
    const rows = page.locator("details.result");
    assert.equal(await rows.count(), report.results.length);
    assert.match(
      await page.evaluate(() => getComputedStyle(document.body).fontFamily),
      /system-ui/,
      "style applied",
    );

    await page.click('button[data-filter="FAIL"]');
    assert.equal(await page.getAttribute('button[data-filter="FAIL"]', "aria-pressed"), "true");
    const visible = page.locator("details.result:visible");
    assert.equal(await visible.count(), report.summary.FAIL);
    const shown = await visible.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.status));
    assert.deepEqual(new Set(shown), new Set(["FAIL"]));
    assert.equal(await page.locator("section.group:visible").count(), 2, "groups without a FAIL hide");

    const row = page.locator('details.result[data-id="/v1/chat/completions[stream]"]');
    const body = row.locator("pre.response-body");
    assert.equal(await body.isVisible(), false);
    await row.locator("summary.row").click();
    assert.equal(await body.isVisible(), true);
    assert.match((await body.textContent()) ?? "", /chatcmpl-2/);
    assert.match((await row.locator("table.problems").textContent()) ?? "", /\/choices\/0\/delta\/role/);

    await page.click('button[data-filter="ALL"]');
    assert.equal(await page.locator("details.result:visible").count(), report.results.length);
    await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
    assert.deepEqual(network, [], "no network requests");
    assert.deepEqual(errors, [], "no console errors (CSP blocked nothing of ours)");
    await page.close();
  });

  it("fits a phone screen", async () => {
    const { page, network } = await open(sampleReport(), "report-phone", { width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
    await page.locator('details.result[data-status="FAIL"] > summary').first().click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, "report-phone.png"), fullPage: true });
    assert.deepEqual(network, []);
    await page.close();
  });

  it("runs nothing a hostile server injected and shows it as text", async () => {
    const report = hostileReport();
    const { page, network, errors } = await open(report, "report-hostile");
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator("img, injected").count(), 0, "no injected elements");
    assert.equal(await page.locator("#target-name *").count(), 0, "the target name is text only");
    assert.equal(await page.locator("script").count(), 2);
    assert.ok(((await page.textContent("#target-name")) ?? "").includes(HOSTILE.img), "shown as text");
    await page.locator('details.result[data-status="FAIL"] > summary').first().click();
    assert.ok(((await page.textContent("body")) ?? "").includes("]]><injected/>"));
    const embedded = await page.evaluate(() =>
      JSON.parse(document.getElementById("aioc-report")!.textContent!),
    );
    assert.deepEqual(embedded, report);
    await page.click('button[data-filter="SKIP"]');
    assert.equal(await page.locator("details.result:visible").count(), report.summary.SKIP);
    assert.deepEqual(network, [], "no network requests");
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("renders a real report (aioc serve --quirks llama.cpp): counts and each status filter", async () => {
    const report = await probeServe("llama.cpp");
    const { page, network, errors } = await open(report, "report-llama.cpp");
    for (const s of STATUSES) {
      assert.equal(await page.textContent(`#count-${s}`), String(report.summary[s]), s);
      await page.click(`button[data-filter="${s}"]`);
      assert.equal(await page.locator("details.result:visible").count(), report.summary[s], `filter ${s}`);
    }
    await page.click('button[data-filter="ALL"]');
    await page.screenshot({ path: join(ARTIFACTS, "report-llama.cpp.png"), fullPage: true });
    assert.deepEqual(network, []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("opens with a fix-first list linking to its rows, and draws the timings as inline SVG, phone width too", async () => {
    const report = await probeServe("llama.cpp");
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const name = `report-charts-${viewport.width}`;
      const { page, network, errors } = await open(report, name, viewport);
      // Fix first: every FAIL, client breakage and core routes first, each a link to its row.
      const links = page.locator("#fix-first li a");
      const fails = report.results.filter((r) => r.status === "FAIL");
      assert.equal(await links.count(), Math.min(fails.length, 8));
      const box = await page.locator("#fix-first").boundingBox();
      const summary = await page.locator("#summary").boundingBox();
      assert.ok(box && summary && box.y < summary.y, "the list comes before the counts");
      const href = await links.first().getAttribute("href");
      assert.ok(href?.startsWith("#r-"));
      assert.equal(await page.locator(href!).count(), 1, "the link's row exists");
      assert.equal(await page.locator(href!).getAttribute("data-status"), "FAIL");

      // The timing chart: one bar group per timed row, TTFT marks on streams, tokens/s for streams.
      const timed = report.results.filter((r) => typeof r.latencyMs === "number" && r.latencyMs > 0);
      assert.equal(await page.locator("#timing-chart g.bar").count(), timed.length);
      // Tokens/s needs chunks spread over time; a stream read in one go has none, and then no chart is drawn.
      const streams = report.results.filter((r) => (r.metrics?.tokensPerSecond ?? 0) > 0);
      assert.equal(await page.locator("#throughput-chart g.bar").count(), streams.length);
      assert.ok((await page.locator("#timing-chart rect.ttft").count()) > 0, "TTFT drawn");
      const chart = await page.locator("#timing-chart").boundingBox();
      assert.ok(chart && chart.width > 200 && chart.width <= viewport.width, `chart ${chart?.width}px wide`);
      // Labels stay readable: rendered font size of a row label.
      const fontPx = await page
        .locator("#timing-chart text")
        .first()
        .evaluate((t) => (t as SVGTextElement).getBoundingClientRect().height);
      assert.ok(fontPx >= 8, `label text ${fontPx}px tall`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
      await page.locator("#charts").screenshot({ path: join(ARTIFACTS, `${name}.png`) });
      assert.deepEqual(network, [], "no network requests");
      assert.deepEqual(errors, [], "no console errors: the CSP allowed every style the chart uses");
      await page.close();
    }
  });
});
