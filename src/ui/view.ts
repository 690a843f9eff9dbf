/**
 * A platform-neutral message: what a feature wants to show. The Discord adapter turns it into a
 * message payload (enforcing Discord's limits and empty `allowedMentions`); the terminal
 * playground turns it into text. Feature code builds Views and never imports discord.js.
 */
export interface View {
  /** Plain text above the embeds. */
  content?: RichText;
  embeds?: ViewEmbed[];
  /** Rows of buttons (at most 5 rows of 5 buttons in Discord). */
  buttons?: ViewButton[][];
  /** Menus to pick one option from, each on its own row below the buttons. */
  selects?: ViewSelect[];
  /** Attached files, for example PNG charts. */
  files?: ViewFile[];
  /** Only the member who triggered it sees it. Ignored when a message is updated in place. */
  ephemeral?: boolean;
}

export type ViewColor = "brand" | "success" | "danger" | "neutral" | "warning" | "base" | "instruct";

export interface ViewEmbed {
  title?: string;
  description?: RichText;
  fields?: ViewField[];
  footer?: RichText;
  color?: ViewColor;
  /** Name of an attached file to show as the embed image. */
  imageFile?: string;
}

export interface ViewField {
  name: string;
  value: RichText;
  inline?: boolean;
}

export type ViewButtonStyle = "primary" | "secondary" | "success" | "danger";

export interface ViewButton {
  /** Custom id, at most 100 characters: `feature:action:arg…`. */
  id: string;
  label: string;
  style?: ViewButtonStyle;
  disabled?: boolean;
}

/** A menu of options; picking one is handled like a button press carrying the option's value. */
export interface ViewSelect {
  /** Custom id, at most 100 characters: `feature:action:arg…`. */
  id: string;
  /** Shown before anything is picked, at most 150 characters. */
  placeholder: string;
  /** 1 to 25 options. */
  options: ViewSelectOption[];
  disabled?: boolean;
}

export interface ViewSelectOption {
  /** At most 100 characters. */
  label: string;
  /** What the handler receives, at most 100 characters; unique within the menu. */
  value: string;
  /** A second line under the label, at most 100 characters. */
  description?: string;
}

export interface ViewFile {
  name: string;
  data: Buffer;
  /** Alt text for screen readers. */
  description?: string;
}

/**
 * Text that may carry neutral inline data: a moment in time or a member. Features never write a
 * platform's markup (Discord's `<t:…:R>` or `<@id>`); each platform renders these parts its own
 * way (Discord: a relative timestamp and a mention that pings nobody; the terminal: "in 42 s" and
 * the member's name). Markdown emphasis (`**bold**`, `*italic*`) is shared by both platforms.
 */
export type RichText = string | readonly TextPart[];

export type TextPart = string | MomentPart | MemberPart;

/** A moment shown relative to now ("in 42 s", "3 min ago"). */
export interface MomentPart {
  kind: "moment";
  at: Date;
}

/** A member, shown by name; in Discord a mention that never pings. */
export interface MemberPart {
  kind: "member";
  id: string;
  name: string;
}
