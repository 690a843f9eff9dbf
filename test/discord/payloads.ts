import {
  AllowedMentionsTypes,
  type APIAllowedMentions,
  type APIAttachment,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageInteractionMetadata,
  type APIRole,
  type APITextChannel,
  type APIUser,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageFlags,
  type MessageType,
  PermissionFlagsBits,
  type RoleFlags,
} from "discord-api-types/v10";
import type { StoredAttachment } from "./StoredMessage.ts";
import type { MessageBody } from "./validateMessage.ts";

/** What members and the bot may do in the test channel. */
export const memberPermissions =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands;

/** How the double names a user on screen: the username, capitalised. */
export function displayNameOf(username: string): string {
  return username.charAt(0).toUpperCase() + username.slice(1);
}

export function userPayload(id: string, username: string, bot = false): APIUser {
  return {
    id,
    username,
    discriminator: "0",
    global_name: bot ? null : displayNameOf(username),
    avatar: null,
    bot,
  };
}

export function textChannelPayload(id: string, guildId: string, name: string): APITextChannel {
  return {
    id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    topic: null,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    parent_id: null,
    default_auto_archive_duration: 1440,
  };
}

export function memberPayload(user: APIUser, joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** The `member` of an interaction: a guild member plus the permissions they have in the channel. */
export function interactionMemberPayload(
  user: APIUser,
  joinedAt: string,
  extraPermissions = 0n,
): APIInteractionGuildMember {
  return {
    ...memberPayload(user, joinedAt),
    user,
    permissions: (memberPermissions | extraPermissions).toString(),
  };
}

function everyoneRole(guildId: string): APIRole {
  return {
    id: guildId,
    name: "@everyone",
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position: 0,
    permissions: memberPermissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

export interface GuildFixture {
  guildId: string;
  guildName: string;
  ownerId: string;
  channel: APITextChannel;
  bot: APIUser;
  joinedAt: string;
}

/** The full GUILD_CREATE discord.js needs to cache the guild, its channel, roles and the bot member. */
export function guildCreatePayload(fixture: GuildFixture): GatewayGuildCreateDispatchData {
  return {
    id: fixture.guildId,
    name: fixture.guildName,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: fixture.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [everyoneRole(fixture.guildId)],
    emojis: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    joined_at: fixture.joinedAt,
    large: false,
    unavailable: false,
    member_count: 1,
    voice_states: [],
    members: [memberPayload(fixture.bot, fixture.joinedAt)],
    channels: [fixture.channel],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** Everything about a new message that does not come from the bot's request body. */
export interface MessageOrigin {
  id: string;
  channelId: string;
  author: APIUser;
  applicationId: string;
  /** Set for interaction responses and follow-ups. */
  interaction: APIMessageInteractionMetadata | null;
  type: MessageType;
  at: number;
}

function attachmentPayload(channelId: string, attachment: StoredAttachment): APIAttachment {
  const url = `https://cdn.discordapp.com/attachments/${channelId}/${attachment.id}/${attachment.filename}`;
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.bytes.byteLength,
    url,
    proxy_url: url,
    ...(attachment.contentType ? { content_type: attachment.contentType } : {}),
    ...(attachment.description ? { description: attachment.description } : {}),
  };
}

/** Users mentioned in `content` whom `allowed_mentions` lets Discord ping (no `allowed_mentions` = all). */
function mentionedUsers(
  content: string,
  allowed: APIAllowedMentions | null | undefined,
  lookUpUser: (id: string) => APIUser | undefined,
): APIUser[] {
  const users: APIUser[] = [];
  for (const match of content.matchAll(/<@!?(\d{17,20})>/g)) {
    const id = match[1] ?? "";
    const permitted =
      !allowed || allowed.parse?.includes(AllowedMentionsTypes.User) || allowed.users?.includes(id);
    const user = lookUpUser(id);
    if (permitted && user && !users.some((known) => known.id === id)) users.push(user);
  }
  return users;
}

function mentionsEveryone(content: string, allowed: APIAllowedMentions | null | undefined): boolean {
  return (
    /@(everyone|here)\b/.test(content) &&
    (!allowed || allowed.parse?.includes(AllowedMentionsTypes.Everyone) === true)
  );
}

/** Builds the message Discord would store for a create request. */
export function createMessagePayload(
  origin: MessageOrigin,
  body: MessageBody,
  attachments: readonly StoredAttachment[],
  lookUpUser: (id: string) => APIUser | undefined,
): APIMessage {
  const content = body.content ?? "";
  return {
    id: origin.id,
    channel_id: origin.channelId,
    author: origin.author,
    content,
    timestamp: new Date(origin.at).toISOString(),
    edited_timestamp: null,
    tts: body.tts ?? false,
    mention_everyone: mentionsEveryone(content, body.allowed_mentions),
    mentions: mentionedUsers(content, body.allowed_mentions, lookUpUser),
    mention_roles: [],
    attachments: attachments.map((attachment) => attachmentPayload(origin.channelId, attachment)),
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    pinned: false,
    type: origin.type,
    flags: body.flags ?? 0,
    application_id: origin.applicationId,
    ...(origin.interaction
      ? { webhook_id: origin.applicationId, interaction_metadata: origin.interaction }
      : {}),
  };
}

/** Applies an edit: fields present in the body replace the old ones; `null` clears them. */
export function editMessagePayload(
  current: APIMessage,
  body: MessageBody,
  attachments: readonly StoredAttachment[],
  at: number,
  lookUpUser: (id: string) => APIUser | undefined,
): APIMessage {
  const content = body.content === undefined ? current.content : (body.content ?? "");
  const allowed = body.allowed_mentions;
  // Editing a deferred reply ends its "is thinking…" state; the ephemeral bit can never change.
  const keptFlags = (current.flags ?? 0) & MessageFlags.Ephemeral;
  const flags =
    body.flags === undefined || body.flags === null
      ? (current.flags ?? 0) & ~MessageFlags.Loading
      : (body.flags & ~MessageFlags.Ephemeral) | keptFlags;
  return {
    ...current,
    content,
    edited_timestamp: new Date(at).toISOString(),
    mention_everyone:
      body.content === undefined ? current.mention_everyone : mentionsEveryone(content, allowed),
    mentions: body.content === undefined ? current.mentions : mentionedUsers(content, allowed, lookUpUser),
    embeds: body.embeds === undefined ? current.embeds : (body.embeds ?? []),
    components: body.components === undefined ? current.components : (body.components ?? []),
    attachments: attachments.map((attachment) => attachmentPayload(current.channel_id, attachment)),
    flags,
  };
}
