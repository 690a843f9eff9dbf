export interface CompileOptions {
  /** Where the JavaScript goes. Default `dist/`. */
  outDir?: string;
  /** Files to compile with what they import. Default: `tsconfig.build.json`'s (src/ and commands/). */
  entries?: string[];
}

export function compileProject(options?: CompileOptions): string;
