/**
 * `npm run models:pull [pair…] [--all]`: downloads the GGUF files of the chosen pairs (default:
 * the default pair) into MODELS_DIR, with a progress bar. See {@link pullPairs}.
 */
import { ConfigError, loadConfig, loadDotEnv } from "../config.ts";
import { pullPairs } from "../pairs/pullPairs.ts";

async function main(): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  const interrupt = new AbortController();
  process.once("SIGINT", () => interrupt.abort());
  return pullPairs({ config, args: process.argv.slice(2), output: process.stderr, signal: interrupt.signal });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
