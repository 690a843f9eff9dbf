import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { decodePng, readPngSize } from "./decodePng.ts";

describe("decodePng (test helper)", () => {
  it("GIVEN a PNG from resvg THEN decodes exactly the pixels resvg reports", () => {
    // Gradients and shapes exercise every row filter the encoder picks. The picture is opaque
    // because resvg reports premultiplied pixels, which equal the PNG's only where alpha is 255.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="97" height="61">
      <defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f" stop-opacity="0.3"/></linearGradient></defs>
      <rect width="97" height="61" fill="#fff"/><rect width="97" height="61" fill="url(#g)"/><circle cx="40" cy="30" r="22" fill="#0c8" fill-opacity="0.7"/></svg>`;
    const rendered = new Resvg(svg).render();
    const image = decodePng(rendered.asPng());
    expect(image.width).toBe(97);
    expect(image.height).toBe(61);
    expect(Buffer.from(image.rgba).equals(rendered.pixels)).toBe(true);
    expect(readPngSize(rendered.asPng())).toEqual({ width: 97, height: 61 });
  });

  it("GIVEN corrupted bytes THEN refuses to decode", () => {
    const png = new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>`).render().asPng();
    const corrupted = Buffer.from(png);
    corrupted[20] = (corrupted[20] ?? 0) ^ 0xff;
    expect(() => decodePng(corrupted)).toThrow(/CRC/);
    expect(() => decodePng(Buffer.from("GIF89a"))).toThrow(/signature/);
  });
});
