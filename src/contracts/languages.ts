import { z } from "zod";

export const notAnalysedSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    total: z
      .number()
      .int()
      .meta({ description: "Interactions in the window written in a language Earshot does not analyse." }),
    languages: z
      .array(
        z.object({
          code: z.string().meta({ description: "ISO 639-1 code, as `language.code` in an analysis." }),
          name: z.string(),
          count: z.number().int(),
        }),
      )
      .meta({ description: "Per language, most first (at most 20)." }),
    summary: z.string().meta({
      description: 'The counts in one line: "12 contacts in languages Earshot does not analyse: fr 9, de 3".',
    }),
  })
  .meta({ id: "NotAnalysedLanguages" });
