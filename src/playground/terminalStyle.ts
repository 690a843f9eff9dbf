/** How the playground styles text: ANSI escapes on a colour terminal, nothing otherwise. */
export interface TerminalStyle {
  bold(text: string): string;
  italic(text: string): string;
  dim(text: string): string;
}

/**
 * Bold, italic and dim on an interactive terminal, unless colours are turned off (`NO_COLOR`).
 * @param allowColor - false turns every style into plain text. Default true.
 */
export function terminalStyle(stream: NodeJS.WritableStream, allowColor = true): TerminalStyle {
  const color = allowColor && "isTTY" in stream && stream.isTTY === true;
  return {
    bold: (text) => (color ? `\x1b[1m${text}\x1b[22m` : text),
    italic: (text) => (color ? `\x1b[3m${text}\x1b[23m` : text),
    dim: (text) => (color ? `\x1b[2m${text}\x1b[22m` : text),
  };
}
