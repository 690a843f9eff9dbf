import { clearScreenDown, cursorTo, type Interface, moveCursor } from "node:readline";

export interface TerminalScreenOptions {
  /** The readline reading the member's input; its prompt and typed text are redrawn after output. */
  readline: Interface;
  output: NodeJS.WritableStream;
  /** True when readline drives a terminal (cursor movement works); false for pipes. */
  terminal: boolean;
  /** Shown when the playground is ready for the next line. */
  prompt: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI styling to measure width
const ansiStyling = /\x1b\[[0-9;]*m/g;

/**
 * The playground's screen: blocks of output above one input line. Output that arrives while the
 * member is typing (a streamed edit, a timer's reveal, a warning) clears the input line, prints,
 * then redraws the prompt with what was typed so far, so the two never mix on one line. The last
 * block can be redrawn in place when it is still the last thing on screen (streaming edits).
 */
export class TerminalScreen {
  private promptShown = false;
  private last: { key: string; rows: number } | undefined;

  constructor(private readonly options: TerminalScreenOptions) {
    options.readline.setPrompt("");
  }

  /** Shows the prompt: the playground is ready for the next line. */
  showPrompt(): void {
    this.options.readline.setPrompt(this.options.prompt);
    this.promptShown = true;
    this.options.readline.prompt(true);
  }

  /**
   * The member pressed Enter: the prompt goes away until `showPrompt`, and the echoed line now
   * sits below the last block, which can no longer be redrawn in place.
   */
  lineEntered(): void {
    this.promptShown = false;
    this.options.readline.setPrompt("");
    this.last = undefined;
  }

  /**
   * Prints `text` above the input line. With `replaceKey`, a block printed with the same key that
   * is still the last one on a terminal is overwritten instead of repeated.
   */
  print(text: string, replaceKey?: string): void {
    const { readline, output, terminal } = this.options;
    if (!terminal) {
      // A pipe cannot move the cursor: end the prompt's line, print, and prompt again.
      if (this.promptShown) output.write("\n");
      output.write(`${text}\n`);
      if (this.promptShown) readline.prompt(true);
      return;
    }
    const inputShown = this.promptShown || readline.line.length > 0;
    const inputRows = inputShown ? readline.getCursorPos().rows : 0;
    const replacing = replaceKey !== undefined && this.last?.key === replaceKey ? this.last.rows : 0;
    if (inputShown || replacing > 0) {
      moveCursor(output, 0, -(inputRows + replacing));
      cursorTo(output, 0);
      clearScreenDown(output);
    }
    output.write(`${text}\n`);
    this.last = replaceKey === undefined ? undefined : { key: replaceKey, rows: this.rows(text) };
    if (inputShown) {
      // readline redraws from `inputRows` rows above the cursor; give it those rows to climb.
      output.write("\n".repeat(inputRows));
      readline.prompt(true);
    }
  }

  /** Screen rows `text` takes, so it can be overwritten later. */
  private rows(text: string): number {
    const { output } = this.options;
    const columns = "columns" in output && typeof output.columns === "number" ? output.columns : 80;
    return text
      .replace(ansiStyling, "")
      .split("\n")
      .reduce((rows, line) => rows + Math.max(1, Math.ceil(Array.from(line).length / columns)), 0);
  }
}
