/**
 * Shortens `text` to at most `max` UTF-16 code units, ending with `ellipsis` when it had to cut.
 * Cuts between code points, so an emoji or any other astral character is never split in half.
 */
export function truncate(text: string, max: number, ellipsis = "…"): string {
  if (text.length <= max) return text;
  const room = max - ellipsis.length;
  if (room <= 0) return cutAt(text, max);
  return cutAt(text, room) + ellipsis;
}

/** The longest prefix of at most `length` code units that does not end inside a surrogate pair. */
function cutAt(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  const splitsPair = code >= 0xd800 && code <= 0xdbff;
  return text.slice(0, splitsPair ? length - 1 : length);
}
