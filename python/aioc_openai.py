"""aioc's runner for the official Python SDK (`openai`): the SDK calls of one probe against the target, judged by aioc.

Started once per probe by aioc as a child process (src/clients/openai-python.ts). Once the SDK is imported it
prints a `ready` line; then each call comes as one JSON object per stdin line (the API key included, never in argv
or the environment) and is answered, in its own thread, by one JSON line on stdout with the same `id`: what the SDK
returned (`value`) or raised (`error`), and how many HTTP requests it made. End of stdin ends the process once the
calls in flight are answered. Python's own HTTP client talks to the target directly; aioc bounds this process's
time and output.
"""

import json
import sys
import threading

_out = threading.Lock()


def emit(obj):
    line = json.dumps(obj, default=str) + "\n"
    with _out:
        sys.stdout.write(line)
        sys.stdout.flush()


def describe(err):
    name = type(err).__name__
    msg = " ".join(str(err).split()) or "(no message)"
    return f"{name}: {msg}"[:400]


def main():
    try:
        import openai
    except Exception as err:  # noqa: BLE001 - any import failure means the SDK is unusable here
        emit({"ok": False, "unavailable": describe(err)})
        return
    emit({"ready": True, "version": openai.__version__})
    threads = []
    for line in sys.stdin:
        if not line.strip():
            continue
        cfg = json.loads(line)
        t = threading.Thread(target=answer, args=(openai, cfg), daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join()


def answer(openai, cfg):
    call_id = cfg.get("id")
    seen = {"requests": 0, "status": None}
    key = cfg.get("apiKey")
    scheme = cfg.get("auth", "bearer")

    def on_request(request):
        seen["requests"] += 1
        # The SDK always sends `Authorization: Bearer <api_key>`; aioc sends the key as configured, or nothing.
        if scheme != "bearer" or not key:
            if "authorization" in request.headers:
                del request.headers["authorization"]

    def on_response(response):
        seen["status"] = response.status_code

    try:
        http_kwargs = {"event_hooks": {"request": [on_request], "response": [on_response]}, "follow_redirects": False}
        if cfg.get("proxy") is not None:
            if cfg["proxy"]:
                http_kwargs["proxy"] = cfg["proxy"]
            else:
                http_kwargs["trust_env"] = False
        if cfg.get("insecure"):
            http_kwargs["verify"] = False
        elif cfg.get("caFile"):
            http_kwargs["verify"] = cfg["caFile"]
        headers = dict(cfg.get("headers") or {})
        if scheme == "api-key" and key:
            headers["api-key"] = key
        client = openai.OpenAI(
            base_url=cfg["baseUrl"],
            api_key=key if (key and scheme == "bearer") else "aioc-no-key",
            organization=None,
            project=None,
            default_headers=headers,
            timeout=cfg["timeoutS"],
            max_retries=0,
            http_client=openai.DefaultHttpxClient(**http_kwargs),
        )
        value = CALLS[cfg["call"]](client, cfg)
        emit({"id": call_id, "ok": True, "value": value, "requests": seen["requests"], "status": seen["status"]})
    except Exception as err:  # noqa: BLE001 - whatever the SDK raises is the finding
        status = getattr(err, "status_code", None) or seen["status"]
        emit({"id": call_id, "ok": False, "error": describe(err), "requests": seen["requests"], "status": status})


def dump(obj):
    return obj.model_dump(mode="json") if hasattr(obj, "model_dump") else obj


def chat(client, cfg):
    r = client.chat.completions.create(model=cfg["model"], messages=cfg["messages"], max_tokens=16)
    return dump(r)


def chat_stream(client, cfg):
    chunks, text = 0, ""
    stream = client.chat.completions.create(
        model=cfg["model"], messages=cfg["messages"], max_tokens=16, stream=True,
        stream_options={"include_usage": True},
    )
    for chunk in stream:
        chunks += 1
        if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
    return {"chunks": chunks, "text": text}


def tools(client, cfg):
    r = client.chat.completions.create(
        model=cfg["model"], messages=cfg["toolMessages"], tools=[cfg["tool"]], tool_choice=cfg["toolChoice"],
        max_tokens=128,
    )
    return dump(r)


def responses(client, cfg):
    r = client.responses.create(model=cfg["model"], input=cfg["prompt"], max_output_tokens=16)
    error = getattr(r, "error", None)
    output = r.output if isinstance(r.output, list) else None
    return {
        "object": r.object,
        "status": getattr(r, "status", None),
        "error": {"code": getattr(error, "code", None), "message": getattr(error, "message", None)} if error else None,
        # only what the judgement reads: each message's parts, their type and whether they carry text
        "output": None if output is None else [
            {
                "type": getattr(item, "type", None),
                "content": [
                    {"type": getattr(p, "type", None), "text": (getattr(p, "text", None) or "")[:200]}
                    for p in (getattr(item, "content", None) or [])
                ] if getattr(item, "type", None) == "message" else None,
            }
            for item in output[:16]
        ],
        "output_text": r.output_text,
    }


def embeddings(client, cfg):
    raw = client.embeddings.with_raw_response.create(model=cfg["model"], input="hello")
    try:
        sent = json.loads(raw.http_response.text)["data"][0]["embedding"]
    except Exception:  # noqa: BLE001 - not JSON or no data: judged from the parsed value
        sent = None
    parsed = raw.parse()
    vector = parsed.data[0].embedding if parsed.data else None
    return {"vector": list(vector) if vector is not None else None, "sent": sent}


CALLS = {
    "chat": chat,
    "chat.stream": chat_stream,
    "tools": tools,
    "responses": responses,
    "embeddings": embeddings,
}

if __name__ == "__main__":
    main()
