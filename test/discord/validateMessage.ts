import {
  type APIAllowedMentions,
  type APIAttachment,
  type APIEmbed,
  type APIMessageTopLevelComponent,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from "discord-api-types/v10";
import type { FormIssue } from "./ApiError.ts";

/**
 * Discord's documented message limits. The double keeps its own copy on purpose: it is the oracle
 * the bot's renderer is tested against, so it must not share the renderer's constants.
 */
export const messageLimits = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  rowWidth: 5,
  buttonLabel: 80,
  customId: 100,
  attachments: 10,
  autocompleteChoices: 25,
  choiceName: 100,
} as const;

/** The message fields of a create or edit body, as received (edits may send `null` to clear). */
export interface MessageBody {
  content?: string | null;
  embeds?: APIEmbed[] | null;
  components?: APIMessageTopLevelComponent[] | null;
  attachments?: Partial<APIAttachment>[] | null;
  allowed_mentions?: APIAllowedMentions | null;
  flags?: number | null;
  tts?: boolean;
}

/** Discord measures string limits in Unicode code points, not UTF-16 units. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

type Path = (string | number)[];

function maxLength(issues: FormIssue[], path: Path, value: string | undefined | null, max: number): void {
  if (typeof value === "string" && codePointLength(value) > max) {
    issues.push({ path, code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${max} or fewer in length.` });
  }
}

function maxItems(
  issues: FormIssue[],
  path: Path,
  items: readonly unknown[] | undefined | null,
  max: number,
): void {
  if (Array.isArray(items) && items.length > max) {
    issues.push({ path, code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${max} or fewer in length.` });
  }
}

function validateEmbeds(issues: FormIssue[], path: Path, embeds: APIEmbed[]): void {
  maxItems(issues, path, embeds, messageLimits.embeds);
  let total = 0;
  const count = (text: string | undefined) => {
    total += text ? codePointLength(text) : 0;
  };
  embeds.forEach((embed, index) => {
    const at = [...path, index];
    maxLength(issues, [...at, "title"], embed.title, messageLimits.embedTitle);
    maxLength(issues, [...at, "description"], embed.description, messageLimits.embedDescription);
    maxLength(issues, [...at, "footer", "text"], embed.footer?.text, messageLimits.footerText);
    maxLength(issues, [...at, "author", "name"], embed.author?.name, messageLimits.authorName);
    maxItems(issues, [...at, "fields"], embed.fields, messageLimits.embedFields);
    count(embed.title);
    count(embed.description);
    count(embed.footer?.text);
    count(embed.author?.name);
    embed.fields?.forEach((field, fieldIndex) => {
      maxLength(issues, [...at, "fields", fieldIndex, "name"], field.name, messageLimits.fieldName);
      maxLength(issues, [...at, "fields", fieldIndex, "value"], field.value, messageLimits.fieldValue);
      count(field.name);
      count(field.value);
    });
  });
  if (total > messageLimits.embedTotal) {
    issues.push({
      path,
      code: "MAX_EMBED_SIZE_EXCEEDED",
      message: `Embed size exceeds maximum size of ${messageLimits.embedTotal}`,
    });
  }
}

/** Walks every component (rows, containers, sections, accessories), depth first, with its body path. */
export function* walkComponents(
  items: unknown,
  path: Path = [],
): Generator<{ component: Record<string, unknown>; path: Path }> {
  if (!Array.isArray(items)) return;
  for (const [index, item] of items.entries()) {
    if (typeof item !== "object" || item === null) continue;
    const component = item as Record<string, unknown>;
    const at = [...path, index];
    yield { component, path: at };
    yield* walkComponents(component.components, [...at, "components"]);
    if (typeof component.accessory === "object" && component.accessory !== null) {
      yield { component: component.accessory as Record<string, unknown>, path: [...at, "accessory"] };
    }
  }
}

const selectTypes = new Set<unknown>([
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
]);

function validateComponents(
  issues: FormIssue[],
  path: Path,
  components: APIMessageTopLevelComponent[],
  flags: number,
): void {
  if ((flags & MessageFlags.IsComponentsV2) === 0) {
    maxItems(issues, path, components, messageLimits.actionRows);
  }
  const seen = new Set<string>();
  for (const { component, path: at } of walkComponents(components, path)) {
    if (component.type === ComponentType.ActionRow && Array.isArray(component.components)) {
      const width = component.components.reduce<number>(
        (sum, child: { type?: unknown }) => sum + (selectTypes.has(child.type) ? messageLimits.rowWidth : 1),
        0,
      );
      if (width > messageLimits.rowWidth) {
        issues.push({
          path: [...at, "components"],
          code: "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
          message: "The specified component exceeds the maximum width",
        });
      }
    }
    if (component.type === ComponentType.Button) {
      maxLength(issues, [...at, "label"], component.label as string | undefined, messageLimits.buttonLabel);
      const needsCustomId = component.style !== ButtonStyle.Link && component.style !== ButtonStyle.Premium;
      if (needsCustomId && typeof component.custom_id !== "string") {
        issues.push({
          path: [...at, "custom_id"],
          code: "BASE_TYPE_REQUIRED",
          message: "This field is required",
        });
      }
    }
    if (component.type === ComponentType.StringSelect) {
      const options = (Array.isArray(component.options) ? component.options : []) as {
        label?: string;
        value?: string;
        description?: string;
      }[];
      if (options.length < 1 || options.length > 25) {
        issues.push({
          path: [...at, "options"],
          code: "BASE_TYPE_BAD_LENGTH",
          message: "Must be between 1 and 25 in length.",
        });
      }
      maxLength(issues, [...at, "placeholder"], component.placeholder as string | undefined, 150);
      const values = new Set<string>();
      options.forEach((option, index) => {
        maxLength(issues, [...at, "options", index, "label"], option.label, 100);
        maxLength(issues, [...at, "options", index, "value"], option.value, 100);
        maxLength(issues, [...at, "options", index, "description"], option.description, 100);
        if (option.value !== undefined && values.has(option.value)) {
          issues.push({
            path: [...at, "options", index, "value"],
            code: "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
            message: "Select component option values cannot be duplicated",
          });
        }
        if (option.value !== undefined) values.add(option.value);
      });
    }
    if (typeof component.custom_id === "string") {
      maxLength(issues, [...at, "custom_id"], component.custom_id, messageLimits.customId);
      if (seen.has(component.custom_id)) {
        issues.push({
          path: [...at, "custom_id"],
          code: "COMPONENT_CUSTOM_ID_DUPLICATED",
          message: "Component custom id cannot be duplicated",
        });
      }
      seen.add(component.custom_id);
    }
  }
}

/**
 * Checks a message body against Discord's limits and returns every broken rule, with paths
 * relative to `path` (`["data"]` for interaction callbacks, `[]` for webhook and channel routes).
 */
export function validateMessage(body: MessageBody, fileCount: number, path: Path = []): FormIssue[] {
  const issues: FormIssue[] = [];
  maxLength(issues, [...path, "content"], body.content, messageLimits.content);
  if (body.embeds) validateEmbeds(issues, [...path, "embeds"], body.embeds);
  if (body.components) validateComponents(issues, [...path, "components"], body.components, body.flags ?? 0);
  const attachmentCount = Math.max(fileCount, body.attachments?.length ?? 0);
  if (attachmentCount > messageLimits.attachments) {
    issues.push({
      path: [...path, "attachments"],
      code: "BASE_TYPE_MAX_LENGTH",
      message: `Must be ${messageLimits.attachments} or fewer in length.`,
    });
  }
  return issues;
}
