/**
 * The one place that turns TLS and proxy failures into one-line errors with the fix in them: https spoken to a
 * plain-http server, an untrusted certificate, a host name the certificate does not cover, a proxy that refused.
 * (classify() in errors.ts calls this first; plain http spoken to a TLS server is recognised there from its bytes.)
 */
import type { TransportError } from "./types.js";

export function connectionFailure(code: string, detail: string, err: unknown): TransportError | undefined {
  if (code === "ERR_PROXY_CONNECT") {
    const status = (err as { status?: number }).status;
    const hint =
      status === 407 ? "; put the proxy's credentials in its URL (http://user:pass@host:port)" : "";
    return { kind: "connect", message: `${firstLine(detail)}${hint}` };
  }
  if (!(/CERT|SSL|TLS|ERR_TLS/.test(code) || /certificate|SSL routines|wrong version number/i.test(detail))) {
    return undefined;
  }
  // OpenSSL's reason ("wrong version number") says more than Node's generic EPROTO.
  const reason = /SSL routines:(?:[^:]*:)?([^:]+)/.exec(detail)?.[1];
  const why = reason && (!code || code === "EPROTO") ? reason : code || firstLine(detail);
  if (/WRONG_VERSION_NUMBER|wrong version number|PACKET_LENGTH_TOO_LONG|http request/i.test(why)) {
    return { kind: "connect", message: `TLS failure (${why}): the server speaks plain HTTP; use http://` };
  }
  // An expired (or not yet valid) certificate is not a trust problem: --ca-file cannot help.
  if (/CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/.test(why)) {
    const when = /EXPIRED/.test(why) ? "has expired" : "is not yet valid";
    return {
      kind: "connect",
      message: `TLS failure: the server's certificate ${when} (${why}); renew it on the server (or check this machine's clock), or --insecure`,
    };
  }
  if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY|CERT_UNTRUSTED/.test(why)) {
    return {
      kind: "connect",
      message: `TLS failure: certificate not trusted (${why}); trust its CA with --ca-file PEM (or NODE_EXTRA_CA_CERTS), or --insecure`,
    };
  }
  if (/ERR_TLS_CERT_ALTNAME_INVALID|ALTNAME/.test(why)) {
    // Node's detail ends "is not in the cert's altnames: IP Address:127.0.0.1, DNS:gw.example": the names to use.
    const names = /.*altnames: (.+)$/.exec(firstLine(detail))?.[1]?.slice(0, 120);
    return {
      kind: "connect",
      message: `TLS failure: the certificate does not name this host (${why}${names ? `; it names ${names}` : ""}); use the host name it was issued for, or --insecure`,
    };
  }
  return { kind: "connect", message: `TLS failure (${why})` };
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.slice(0, 200);
}

/**
 * Plain http spoken to a TLS server: Node's TLS servers (and many others) just hang up on the request, which
 * looks like any broken server. When the first request to an http:// target got no response at all, one TLS
 * handshake with the same port tells the two apart.
 */
export async function refusePlainToTls(
  baseUrl: string,
  failure: { ok: false; error: TransportError; partial?: unknown } | undefined,
): Promise<void> {
  const url = new URL(baseUrl);
  if (url.protocol !== "http:" || !failure || failure.partial || failure.error.kind !== "reset") return;
  if (await speaksTls(url.hostname, Number(url.port || 80))) {
    const { UsageError } = await import("../cli/errors.js");
    const https = new URL(baseUrl);
    https.protocol = "https:";
    throw new UsageError(
      `cannot reach ${baseUrl}: the server speaks TLS; use https:// (${https.href.replace(/\/$/, "")})`,
    );
  }
}

async function speaksTls(host: string, port: number): Promise<boolean> {
  const { connect } = await import("node:tls");
  return new Promise((resolve) => {
    const socket = connect({
      host: host.replace(/^\[|\]$/g, ""),
      port,
      rejectUnauthorized: false,
      timeout: 3000,
    });
    const done = (yes: boolean) => {
      socket.destroy();
      resolve(yes);
    };
    socket.once("secureConnect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}
