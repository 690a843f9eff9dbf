import { commands } from "../commands/index.ts";
import { ConfigError, loadConfig, loadDotEnv } from "./config.ts";
import { deployCommands } from "./discord/deployCommands.ts";

try {
  loadDotEnv();
  const config = loadConfig();
  if (!config.DISCORD_TOKEN) throw new ConfigError("DISCORD_TOKEN: is required to deploy commands");
  const result = await deployCommands({
    token: config.DISCORD_TOKEN,
    apiUrl: config.DISCORD_API_URL,
    applicationId: config.DISCORD_APPLICATION_ID,
    guildId: config.DISCORD_GUILD_ID,
    commands: commands.map((command) => command.data),
  });
  console.log(
    result.scope === "guild"
      ? `Deployed ${result.count} commands to guild ${config.DISCORD_GUILD_ID} (available at once).`
      : `Deployed ${result.count} commands globally (Discord may take a while to show them everywhere).`,
  );
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Deploy failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
