import {
  type APIApplication,
  REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from "discord.js";

export interface DeployOptions {
  token: string;
  apiUrl: string;
  /** Read from `GET /applications/@me` when absent. */
  applicationId?: string;
  /** Deploy to this guild only (instant, for development); absent means global. */
  guildId?: string;
  commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
}

export interface DeployResult {
  scope: "guild" | "global";
  applicationId: string;
  count: number;
}

/**
 * Registers the slash commands with one bulk overwrite. Run on demand (`npm run
 * deploy-commands`), never on every start: Discord limits how many commands can be created a day.
 */
export async function deployCommands(options: DeployOptions): Promise<DeployResult> {
  const rest = new REST({ api: options.apiUrl }).setToken(options.token);
  const applicationId =
    options.applicationId ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
  const route = options.guildId
    ? Routes.applicationGuildCommands(applicationId, options.guildId)
    : Routes.applicationCommands(applicationId);
  const saved = (await rest.put(route, { body: options.commands })) as unknown[];
  return { scope: options.guildId ? "guild" : "global", applicationId, count: saved.length };
}
