import { crc32, inflateSync } from "node:zlib";

/** A decoded image: 8-bit RGBA, row by row. */
export interface DecodedPng {
  width: number;
  height: number;
  /** `width * height * 4` bytes. */
  rgba: Uint8Array;
  /** The pixel at (x, y) as `[r, g, b, a]`. */
  pixel(x: number, y: number): [number, number, number, number];
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A small PNG decoder for tests: checks the signature and every chunk's CRC, inflates the IDAT
 * stream and undoes the row filters. Supports what resvg writes (8-bit RGBA or RGB, not
 * interlaced) and fails loudly on anything else, so a test never reads garbage pixels.
 */
export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error("Not a PNG: bad signature");
  let offset = 8;
  let header: { width: number; height: number; channels: number } | undefined;
  const data: Buffer[] = [];
  let ended = false;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== crc)
      throw new Error(`Bad CRC in ${type} chunk`);
    if (type === "IHDR") header = readHeader(body);
    else if (type === "IDAT") data.push(body);
    else if (type === "IEND") ended = true;
    offset += 12 + length;
  }
  if (header === undefined) throw new Error("PNG has no IHDR chunk");
  if (!ended) throw new Error("PNG has no IEND chunk");
  const { width, height, channels } = header;
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error("IDAT size does not match IHDR");
  const pixels = unfilter(raw, height, stride, channels);
  const rgba = channels === 4 ? pixels : toRgba(pixels, width * height);
  return {
    width,
    height,
    rgba,
    pixel(x, y) {
      const at = (y * width + x) * 4;
      return [rgba[at] ?? 0, rgba[at + 1] ?? 0, rgba[at + 2] ?? 0, rgba[at + 3] ?? 0];
    },
  };
}

/** Width and height from the IHDR chunk, without decoding anything else. */
export function readPngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error("Not a PNG: bad signature");
  if (png.toString("latin1", 12, 16) !== "IHDR") throw new Error("First chunk is not IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function readHeader(body: Buffer): { width: number; height: number; channels: number } {
  const bitDepth = body.readUInt8(8);
  const colourType = body.readUInt8(9);
  const interlace = body.readUInt8(12);
  if (bitDepth !== 8 || (colourType !== 6 && colourType !== 2) || interlace !== 0) {
    throw new Error(
      `Unsupported PNG: bit depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}`,
    );
  }
  return { width: body.readUInt32BE(0), height: body.readUInt32BE(4), channels: colourType === 6 ? 4 : 3 };
}

function unfilter(raw: Buffer, height: number, stride: number, bytesPerPixel: number): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const source = y * (stride + 1) + 1;
    const row = y * stride;
    const previous = row - stride;
    for (let x = 0; x < stride; x++) {
      const value = raw[source + x] ?? 0;
      const left = x >= bytesPerPixel ? (out[row + x - bytesPerPixel] ?? 0) : 0;
      const up = y > 0 ? (out[previous + x] ?? 0) : 0;
      const upLeft = y > 0 && x >= bytesPerPixel ? (out[previous + x - bytesPerPixel] ?? 0) : 0;
      let predicted: number;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = left;
          break;
        case 2:
          predicted = up;
          break;
        case 3:
          predicted = (left + up) >> 1;
          break;
        case 4:
          predicted = paeth(left, up, upLeft);
          break;
        default:
          throw new Error(`Unknown PNG filter ${filter} on row ${y}`);
      }
      out[row + x] = (value + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

function toRgba(rgb: Uint8Array, count: number): Uint8Array {
  const rgba = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}
