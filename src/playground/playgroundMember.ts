import { PermissionsBitField, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { UserError } from "../errors.ts";
import type { Actor } from "../ui/interaction.ts";

const memberIdPrefix = "playground-";

/** Discord's own limit for a display name. */
export const memberNameMaxLength = 32;

/** The person at the keyboard: the playground's host, and `as:you`. */
export const playgroundActor: Actor = playgroundMember("you");

/**
 * The member of the playground "server" called `name`: the same id for the same name (any case)
 * in every session, so progress and points follow them; the display name is the name as typed.
 * Names are letters, digits, `_`, `-` and `.`, up to 32 characters; anything else is refused
 * politely, since a name is typed in a line where spaces and colons mean something.
 */
export function playgroundMember(name: string): Actor {
  const trimmed = name.replace(/^@/, "");
  if (trimmed === "") throw new UserError("A member needs a name, like bob.");
  if ([...trimmed].length > memberNameMaxLength)
    throw new UserError(`A member's name is at most ${memberNameMaxLength} characters long.`);
  if (!/^[\p{L}\p{M}\p{N}_.-]+$/u.test(trimmed))
    throw new UserError(
      `\`${trimmed.slice(0, 40)}\` can't be a member's name here: use letters, digits, _, - and . (like bob or ana_2).`,
    );
  return { id: `${memberIdPrefix}${trimmed.toLowerCase()}`, displayName: trimmed };
}

/**
 * The name behind a playground member id (`playground-bob` → `bob`), for ids met before this
 * session named them (points earned in an earlier session); undefined for other ids.
 */
export function memberNameFromId(id: string): string | undefined {
  return id.startsWith(memberIdPrefix) && id.length > memberIdPrefix.length
    ? id.slice(memberIdPrefix.length)
    : undefined;
}

/** A line split into who acts (`as:bob`) and what they do. */
export interface ActingLine {
  /** The member named by `as:`, or undefined when the line has no `as:` (the host acts). */
  member: Actor | undefined;
  /** The rest of the line: a command, a button number or `help`. */
  rest: string;
}

/**
 * Reads an optional `as:<name>` at the start of a playground line (`as:bob 2`, `as:carol /quiz`).
 * A bad name, or `as:` with nothing to do, is a {@link UserError} that says how to write it.
 */
export function splitActingMember(line: string): ActingLine {
  const match = /^as:(\S*)(?:\s+(.*))?$/is.exec(line.trim());
  if (!match) return { member: undefined, rest: line.trim() };
  const name = match[1] ?? "";
  if (name === "") throw new UserError("Write the member right after as:, like as:bob 2 or as:bob /quiz.");
  const member = playgroundMember(name);
  const rest = (match[2] ?? "").trim();
  if (rest === "")
    throw new UserError(
      `What should ${member.displayName} do? Add a command or a button number, like as:${member.displayName} /quiz or as:${member.displayName} 2.`,
    );
  return { member, rest };
}

/**
 * Refuses a command that the server limits by default (`/class` needs Manage Messages) to a
 * member other than the host, as Discord hides such a command from members who lack the
 * permission. In the playground the host owns the server and has every permission; the members
 * typed with `as:` have none beyond a plain member's.
 */
export function checkMemberMayUse(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
  member: Actor,
): void {
  const required = definition.default_member_permissions;
  if (member.id === playgroundActor.id || required === undefined || required === null) return;
  const names = new PermissionsBitField(BigInt(required))
    .toArray()
    .map((name) => name.replace(/([a-z])([A-Z])/g, "$1 $2"));
  const needs = names.length === 0 ? "an administrator" : names.join(" and ");
  throw new UserError(
    `${member.displayName} can't use /${definition.name}: it needs ${needs}, and in the playground only you (the server's owner) have that. On Discord, admins choose who may use it in Server Settings → Integrations.`,
  );
}
