/**
 * A platform-neutral message: what a feature wants to show. The Discord adapter turns it into a
 * message payload (enforcing Discord's limits and empty `allowedMentions`); the terminal
 * playground turns it into text. Feature code builds Views and never imports discord.js.
 */
export interface View {
  /** Plain text above the embeds. */
  content?: string;
  embeds?: ViewEmbed[];
  /** Rows of buttons (at most 5 rows of 5 buttons in Discord). */
  buttons?: ViewButton[][];
  /** Attached files, for example PNG charts. */
  files?: ViewFile[];
  /** Only the member who triggered it sees it. Ignored when a message is updated in place. */
  ephemeral?: boolean;
}

export type ViewColor = "brand" | "success" | "danger" | "neutral" | "warning" | "base" | "instruct";

export interface ViewEmbed {
  title?: string;
  description?: string;
  fields?: ViewField[];
  footer?: string;
  color?: ViewColor;
  /** Name of an attached file to show as the embed image. */
  imageFile?: string;
}

export interface ViewField {
  name: string;
  value: string;
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

export interface ViewFile {
  name: string;
  data: Buffer;
  /** Alt text for screen readers. */
  description?: string;
}
