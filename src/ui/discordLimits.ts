/** Discord's message limits; every View is fitted to them before it is sent anywhere. */
export const discordLimits = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  attachments: 10,
  autocompleteChoices: 25,
  choiceName: 100,
} as const;
