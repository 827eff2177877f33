#!/usr/bin/env python3
"""Tiny random-weight llama GGUFs for the field lab (scripts/field/build.sh runs this).

A real llama-server needs a real model file, not a good one: two layers, n_embd 64, random weights, the
tokenizer of a vocab-only GGUF from llama.cpp's own models/ folder and a tool-capable chat template. Output is
gibberish at hundreds of tokens per second: a server whose model obeys nothing, which is what aioc's
protocol/behaviour split must survive.

Plain random weights make llama-server answer 500 to about a quarter of chats: a token holding part of a UTF-8
sequence leaves the reply undecodable (the chat parser then reports "does not match the expected peg-native
format"). So the hidden state keeps one constant "bias" channel (dimension 0: the token embeddings set it, no
layer writes to it), and the output matrix gives every token that must never come out a large negative weight on
that channel: partial-UTF-8 tokens, control/user-defined tokens (the template's <|im_start|>, <tool_call>, ...)
and padding. Whether end-of-turn is possible is the variant:
  tiny-long.gguf  end-of-turn never sampled: every reply runs to max_tokens (finish_reason "length")
  tiny-eos.gguf   end-of-turn <|im_end|> about as likely as the likeliest word: short replies, finish "stop"
"""
import argparse
import os

import numpy as np
import gguf

N_EMBD, N_LAYER, N_HEAD, N_FF, N_CTX = 64, 2, 4, 128, 4096
BIAS = 8.0  # dimension 0 of the hidden state, large against the random rest so it dominates after RMS norm
BANNED = -100.0


def byte_decoder():
    """GPT-2's byte-level BPE alphabet: the printable stand-in character for each byte, inverted."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def whole_utf8(token, decoder):
    try:
        raw = bytes(decoder[ch] for ch in token)
    except KeyError:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def copy_tokenizer(reader, writer):
    for name, field in reader.fields.items():
        if not name.startswith("tokenizer.") or name == "tokenizer.chat_template":
            continue
        main = field.types[0]
        if main == gguf.GGUFValueType.ARRAY:
            writer.add_key_value(name, field.contents(), main, field.types[-1])
        else:
            writer.add_key_value(name, field.contents(), main)


def build(reader, template, out, eos_likely, seed):
    rng = np.random.default_rng(seed)
    tokens = reader.fields["tokenizer.ggml.tokens"].contents()
    types = reader.fields["tokenizer.ggml.token_type"].contents()
    pad = reader.fields.get("tokenizer.ggml.padding_token_id")
    pad_id = pad.contents() if pad else -1
    n_vocab = len(tokens)
    decoder = byte_decoder()
    normal = gguf.TokenType.NORMAL
    allowed = np.array(
        [t == normal and i != pad_id and whole_utf8(tok, decoder) for i, (tok, t) in enumerate(zip(tokens, types))]
    )
    end_of_turn = tokens.index("<|im_end|>")

    w = gguf.GGUFWriter(out, "llama")
    w.add_name(os.path.basename(out).removesuffix(".gguf"))
    w.add_context_length(N_CTX)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD)
    w.add_rope_dimension_count(N_EMBD // N_HEAD)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    copy_tokenizer(reader, w)
    w.add_chat_template(template)

    f32 = np.float32
    embd = rng.normal(0, 0.3, (n_vocab, N_EMBD)).astype(f32)
    embd[:, 0] = BIAS
    w.add_tensor("token_embd.weight", embd)
    for layer in range(N_LAYER):
        p = f"blk.{layer}."
        w.add_tensor(p + "attn_norm.weight", np.ones(N_EMBD, f32))
        w.add_tensor(p + "ffn_norm.weight", np.ones(N_EMBD, f32))
        for name in ("attn_q", "attn_k", "attn_v"):
            w.add_tensor(p + name + ".weight", rng.normal(0, 0.1, (N_EMBD, N_EMBD)).astype(f32))
        attn_out = rng.normal(0, 0.1, (N_EMBD, N_EMBD)).astype(f32)
        attn_out[0, :] = 0  # nothing writes to the bias channel
        w.add_tensor(p + "attn_output.weight", attn_out)
        w.add_tensor(p + "ffn_gate.weight", rng.normal(0, 0.1, (N_FF, N_EMBD)).astype(f32))
        w.add_tensor(p + "ffn_up.weight", rng.normal(0, 0.1, (N_FF, N_EMBD)).astype(f32))
        down = rng.normal(0, 0.1, (N_EMBD, N_FF)).astype(f32)
        down[0, :] = 0
        w.add_tensor(p + "ffn_down.weight", down)
    w.add_tensor("output_norm.weight", np.ones(N_EMBD, f32))
    output = rng.normal(0, 1.0, (n_vocab, N_EMBD)).astype(f32)
    output[:, 0] = 0
    output[~allowed, 0] = BANNED
    # End of turn: never, or level with the likeliest words (its random part kept, so it is sometimes first).
    output[end_of_turn, 0] = 0.45 if eos_likely else BANNED
    w.add_tensor("output.weight", output)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print(f"{out}: {n_vocab} tokens, {int(allowed.sum())} may be generated, end of turn {'likely' if eos_likely else 'never'}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", required=True)
    ap.add_argument("--template", required=True)
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()
    reader = gguf.GGUFReader(args.vocab)
    with open(args.template, encoding="utf-8") as f:
        template = f.read()
    build(reader, template, os.path.join(args.out_dir, "tiny-long.gguf"), eos_likely=False, seed=11)
    build(reader, template, os.path.join(args.out_dir, "tiny-eos.gguf"), eos_likely=True, seed=12)


if __name__ == "__main__":
    main()
