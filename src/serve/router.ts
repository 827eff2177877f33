/** Matches request paths against route templates such as `/v1/videos/{id}/content`. */
import type { Route } from "./context.js";

interface Compiled {
  template: string;
  pattern: RegExp;
  names: string[];
  routes: Route[];
}

export interface Match {
  template: string;
  params: Record<string, string>;
  /** Every route on this path, one per method. */
  routes: Route[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, "\\$&");

export class Router {
  private readonly compiled: Compiled[] = [];

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      const existing = this.compiled.find((c) => c.template === route.path);
      if (existing) {
        existing.routes.push(route);
        continue;
      }
      const names: string[] = [];
      const source = route.path
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (!name) return escapeRegExp(part);
          names.push(name);
          return "([^/]+)";
        })
        .join("");
      this.compiled.push({
        template: route.path,
        pattern: new RegExp(`^${source}$`),
        names,
        routes: [route],
      });
    }
  }

  /** Literal templates win over parameterised ones (`/v1/models` before `/v1/models/{model}`). */
  match(path: string): Match | undefined {
    for (const c of this.compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? "");
      });
      return { template: c.template, params, routes: c.routes };
    }
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
