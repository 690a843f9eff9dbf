import { once } from "node:events";
import { Client, type ClientOptions, Events, GatewayIntentBits } from "discord.js";
import type { DiscordDouble } from "../discord/DiscordDouble.ts";

/**
 * Logs a real discord.js client in to `double` and resolves once it is ready (guild cached).
 * `options` are merged over `{ intents: [Guilds] }`; `rest.api` always points at the double.
 * The caller destroys the client.
 */
export async function loginClient(
  double: DiscordDouble,
  options: Partial<ClientOptions> = {},
): Promise<Client<true>> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...options,
    rest: { ...options.rest, api: double.apiUrl },
  });
  const ready = once(client, Events.ClientReady);
  await client.login(double.token);
  await ready;
  return client as Client<true>;
}
