/** Identifies one member of one guild; every learning record is scoped by it. */
export interface MemberKey {
  guildId: string;
  userId: string;
}

/** The member who triggered an interaction, in the guild it came from. */
export function memberKeyOf(invocation: { guildId: string; actor: { id: string } }): MemberKey {
  return { guildId: invocation.guildId, userId: invocation.actor.id };
}
