const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/**
 * Makes text safe inside SVG element content and attribute values. Characters XML 1.0 forbids
 * even as references (most C0 controls, lone surrogates, U+FFFE/U+FFFF) would make resvg reject
 * the whole document, so they become U+FFFD instead.
 */
export function escapeXml(text: string): string {
  let escaped = "";
  for (const char of text) {
    escaped += isForbiddenInXml(char.codePointAt(0) ?? 0) ? "\uFFFD" : (ENTITIES[char] ?? char);
  }
  return escaped;
}

function isForbiddenInXml(codePoint: number): boolean {
  const allowedControl = codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0d;
  return (
    (codePoint < 0x20 && !allowedControl) ||
    (codePoint >= 0xd800 && codePoint <= 0xdfff) ||
    codePoint === 0xfffe ||
    codePoint === 0xffff
  );
}
