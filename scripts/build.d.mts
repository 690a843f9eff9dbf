export interface BuildOptions {
  /** Where the JavaScript goes. Default `dist/`. */
  outDir?: string;
  /** Files to compile with what they import. Default: `tsconfig.build.json`'s (src/ and commands/). */
  entries?: string[];
}

export function build(options?: BuildOptions): string;
