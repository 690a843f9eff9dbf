/** What the chart code needs to know about one TrueType font file. */
export interface TrueTypeMetrics {
  unitsPerEm: number;
  /** Horizontal advance of the glyph for `codePoint`, in font units; undefined when the font has no glyph. */
  advanceOf(codePoint: number): number | undefined;
}

/** Thrown when a file is not a TrueType font this reader understands. */
export class TrueTypeError extends Error {
  constructor(message = "Not a TrueType font with a Unicode cmap") {
    super(message);
    this.name = "TrueTypeError";
  }
}

/**
 * Reads the character map and advance widths of a TrueType font. The charts use it to measure
 * text and to know which characters the bundled fonts can draw, so a label is never a row of
 * empty boxes. Only cmap formats 4 (BMP) and 12 (full Unicode) are read: every Unicode font has one.
 */
export function readTrueType(data: Buffer): TrueTypeMetrics {
  const tables = readTableDirectory(data);
  const head = requireTable(tables, "head");
  const hhea = requireTable(tables, "hhea");
  const hmtx = requireTable(tables, "hmtx");
  const cmap = requireTable(tables, "cmap");

  const unitsPerEm = data.readUInt16BE(head + 18);
  const metricCount = data.readUInt16BE(hhea + 34);
  const glyphs = readCmap(data, cmap);
  // Only the advances are kept, not the file: a CJK font is megabytes, its advances kilobytes.
  const advances = new Uint16Array(metricCount);
  for (let index = 0; index < metricCount; index++) advances[index] = data.readUInt16BE(hmtx + index * 4);

  return {
    unitsPerEm,
    advanceOf(codePoint) {
      const glyph = glyphs.get(codePoint);
      if (glyph === undefined) return undefined;
      // Glyphs past the last full metric share its advance (monospaced tails).
      return advances[Math.min(glyph, metricCount - 1)];
    },
  };
}

function readTableDirectory(data: Buffer): Map<string, number> {
  if (data.length < 12) throw new TrueTypeError();
  const version = data.readUInt32BE(0);
  if (version !== 0x00010000 && version !== 0x74727565) throw new TrueTypeError();
  const count = data.readUInt16BE(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const record = 12 + i * 16;
    tables.set(data.toString("latin1", record, record + 4), data.readUInt32BE(record + 8));
  }
  return tables;
}

function requireTable(tables: Map<string, number>, tag: string): number {
  const offset = tables.get(tag);
  if (offset === undefined) throw new TrueTypeError(`TrueType font has no ${tag} table`);
  return offset;
}

/** Maps code points to glyph ids, from the best Unicode subtable. */
function readCmap(data: Buffer, cmap: number): Map<number, number> {
  const count = data.readUInt16BE(cmap + 2);
  let format4: number | undefined;
  let format12: number | undefined;
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + i * 8;
    const platform = data.readUInt16BE(record);
    const encoding = data.readUInt16BE(record + 2);
    const subtable = cmap + data.readUInt32BE(record + 4);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = data.readUInt16BE(subtable);
    if (format === 12) format12 ??= subtable;
    if (format === 4) format4 ??= subtable;
  }
  if (format12 !== undefined) return readFormat12(data, format12);
  if (format4 !== undefined) return readFormat4(data, format4);
  throw new TrueTypeError();
}

function readFormat4(data: Buffer, table: number): Map<number, number> {
  const glyphs = new Map<number, number>();
  const segments = data.readUInt16BE(table + 6) / 2;
  const ends = table + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let i = 0; i < segments; i++) {
    const start = data.readUInt16BE(starts + i * 2);
    const end = data.readUInt16BE(ends + i * 2);
    const delta = data.readUInt16BE(deltas + i * 2);
    const rangeOffsetAt = rangeOffsets + i * 2;
    const rangeOffset = data.readUInt16BE(rangeOffsetAt);
    for (let code = start; code <= end && code !== 0xffff; code++) {
      let glyph: number;
      if (rangeOffset === 0) {
        glyph = (code + delta) & 0xffff;
      } else {
        // The offset is relative to where it is stored, a quirk of the format.
        const raw = data.readUInt16BE(rangeOffsetAt + rangeOffset + (code - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) glyphs.set(code, glyph);
    }
  }
  return glyphs;
}

function readFormat12(data: Buffer, table: number): Map<number, number> {
  const glyphs = new Map<number, number>();
  const groups = data.readUInt32BE(table + 12);
  for (let i = 0; i < groups; i++) {
    const group = table + 16 + i * 12;
    const start = data.readUInt32BE(group);
    const end = data.readUInt32BE(group + 4);
    const firstGlyph = data.readUInt32BE(group + 8);
    for (let code = start; code <= end; code++) {
      const glyph = firstGlyph + (code - start);
      if (glyph !== 0) glyphs.set(code, glyph);
    }
  }
  return glyphs;
}
