/**
 * Tiny silent audio files for every `/v1/audio/speech` response_format, each with the right magic bytes.
 * WAV and MP3 come from fixtures/media.ts; Ogg Opus, ADTS AAC, FLAC and raw PCM are built here.
 */
import { silentMp3, silentWav } from "../fixtures/media.js";

const SAMPLE_RATE = 24000;

/** Ogg's CRC-32 (polynomial 0x04c11db7, no reflection, initial 0). */
const CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
  let r = i << 24;
  for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  return r >>> 0;
});

function oggCrc(buf: Uint8Array): number {
  let crc = 0;
  for (const b of buf) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  return crc;
}

/** One Ogg page holding one packet (< 255 bytes). `flags`: 2 = first page, 4 = last page. */
function oggPage(packet: Uint8Array, seq: number, granule: number, flags: number): Buffer {
  const page = Buffer.alloc(28 + packet.length);
  page.write("OggS", 0, "ascii");
  page[5] = flags;
  page.writeBigUInt64LE(BigInt(granule), 6);
  page.writeUInt32LE(0x61696f63, 14); // stream serial: "aioc"
  page.writeUInt32LE(seq, 18);
  page[26] = 1; // one segment
  page[27] = packet.length;
  page.set(packet, 28);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

/** Ogg Opus: OpusHead, OpusTags, and one 20 ms silent frame. */
export function silentOpus(): Uint8Array {
  const head = Buffer.alloc(19);
  head.write("OpusHead", 0, "ascii");
  head[8] = 1; // version
  head[9] = 1; // mono
  head.writeUInt16LE(312, 10); // pre-skip
  head.writeUInt32LE(SAMPLE_RATE, 12);
  const vendor = "aioc";
  const tags = Buffer.alloc(16 + vendor.length);
  tags.write("OpusTags", 0, "ascii");
  tags.writeUInt32LE(vendor.length, 8);
  tags.write(vendor, 12, "ascii");
  const silence = Uint8Array.of(0xf8, 0xff, 0xfe);
  return Buffer.concat([oggPage(head, 0, 0, 2), oggPage(tags, 1, 0, 0), oggPage(silence, 2, 960, 4)]);
}

/** One ADTS AAC-LC frame (24 kHz mono): a single-channel element with no spectral data, then END. */
export function silentAac(): Uint8Array {
  const payload = [0x00, 0xc8, 0x00, 0x07];
  const len = 7 + payload.length;
  const header = [
    0xff,
    0xf1, // sync, MPEG-4, no CRC
    (1 << 6) | (6 << 2), // AAC LC, 24 kHz, channel config high bit 0
    (1 << 6) | ((len >> 11) & 0x03), // mono
    (len >> 3) & 0xff,
    ((len & 0x07) << 5) | 0x1f,
    0xfc,
  ];
  return Uint8Array.from([...header, ...payload]);
}

/** FLAC: the marker and a STREAMINFO block for an empty 24 kHz 16-bit mono stream. */
export function silentFlac(): Uint8Array {
  const buf = Buffer.alloc(4 + 4 + 34);
  buf.write("fLaC", 0, "ascii");
  buf[4] = 0x80; // last metadata block, type STREAMINFO
  buf.writeUIntBE(34, 5, 3);
  buf.writeUInt16BE(4096, 8); // min block size
  buf.writeUInt16BE(4096, 10); // max block size
  // frame sizes (unknown, 0) at 12..17; then rate(20) channels-1(3) bits-1(5) samples(36)
  buf.writeBigUInt64BE((BigInt(SAMPLE_RATE) << 44n) | (0n << 41n) | (15n << 36n), 18);
  return buf;
}

/** Raw 16-bit little-endian mono PCM at 24 kHz: 100 ms of silence. */
const silentPcm = (): Uint8Array => new Uint8Array((SAMPLE_RATE / 10) * 2);

export const SPEECH_FORMATS: Record<string, { contentType: string; bytes: () => Uint8Array }> = {
  mp3: { contentType: "audio/mpeg", bytes: silentMp3 },
  opus: { contentType: "audio/opus", bytes: silentOpus },
  aac: { contentType: "audio/aac", bytes: silentAac },
  flac: { contentType: "audio/flac", bytes: silentFlac },
  wav: { contentType: "audio/wav", bytes: () => silentWav(0.25, SAMPLE_RATE) },
  pcm: { contentType: "audio/pcm", bytes: silentPcm },
};

/** Seconds of audio in a WAV upload (from its fmt and data chunks), or undefined for other containers. */
export function wavDuration(bytes: Uint8Array): number | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString("ascii", 0, 4) !== "RIFF" || buf.toString("ascii", 8, 12) !== "WAVE") {
    return undefined;
  }
  let byteRate = 0;
  for (let off = 12; off + 8 <= buf.length; ) {
    const id = buf.toString("ascii", off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === "fmt " && off + 20 <= buf.length) byteRate = buf.readUInt32LE(off + 16);
    if (id === "data") return byteRate > 0 ? Math.min(size, buf.length - off - 8) / byteRate : undefined;
    off += 8 + size + (size & 1);
  }
  return undefined;
}
