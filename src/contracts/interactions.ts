import { z } from "zod";
import { commonFields, freeText as text, isoInstant, trimmed } from "./common.js";

export const turnSchema = z.object({
  speaker: z.enum(["customer", "agent", "bot"], "must be one of customer, agent, bot"),
  text: text(20_000),
  at: isoInstant.optional(),
});

const chatSchema = z.object({
  ...commonFields,
  channel: z.literal("chat"),
  turns: z.array(turnSchema).min(1, "must hold at least one turn").max(5000),
  session: z
    .object({
      queue: text(100).optional(),
      waitSeconds: z
        .number()
        .min(0)
        .max(86_400 * 7)
        .optional(),
      agentId: text(200).optional(),
    })
    .optional()
    .meta({ description: "Chat session data: queue, seconds the customer waited for an agent, agent id." }),
});

const emailSchema = z.object({
  ...commonFields,
  channel: z.literal("email"),
  subject: z.string().trim().max(1000).optional(),
  body: text(500_000).meta({ description: "Plain text or HTML (converted to text)." }),
  from: z.string().trim().max(500).optional(),
  to: z.union([z.string().trim().max(500), z.array(z.string().trim().max(500)).max(100)]).optional(),
  threadId: text(500).optional(),
  inReplyTo: text(500).optional(),
  direction: z.enum(["inbound", "outbound"]).default("inbound"),
});

const callNoteSchema = z
  .object({
    ...commonFields,
    channel: z.literal("call_note"),
    text: text(100_000).optional().meta({ description: "The agent's notes." }),
    turns: z.array(turnSchema).min(1).max(5000).optional().meta({ description: "A transcript." }),
    durationSeconds: z.number().min(0).max(86_400).optional(),
    holdSeconds: z.number().min(0).max(86_400).optional(),
    disposition: text(200).optional(),
    agentId: text(200).optional(),
  })
  .refine((v) => v.text !== undefined || v.turns !== undefined, {
    message: "a call note needs text, turns or both",
    path: ["text"],
  });

const socialSchema = z.object({
  ...commonFields,
  channel: z.literal("social"),
  platform: trimmed(40).meta({ example: "twitter" }),
  text: text(20_000),
  // Shown as a link in the console: a `javascript:` or `data:` URL there would run in the agent's session.
  url: z
    .url({ protocol: /^https?$/, error: "must be an http or https URL" })
    .max(2000)
    .optional(),
  public: z.boolean().default(true),
  inReplyTo: text(500).optional(),
  authorHandle: trimmed(200).optional().meta({ description: "The author's handle; used as an identifier." }),
});

export const interactionChannels = ["chat", "email", "call_note", "social"] as const;

export const interactionInputSchema = z
  .discriminatedUnion("channel", [chatSchema, emailSchema, callNoteSchema, socialSchema], {
    error: (issue) => (issue.code === "invalid_union" ? `must be one of ${interactionChannels.join(", ")}` : undefined),
  })
  .meta({ id: "InteractionInput" });

export type InteractionInput = z.infer<typeof interactionInputSchema>;
export type ChatInput = z.infer<typeof chatSchema>;
export type EmailInput = z.infer<typeof emailSchema>;
export type CallNoteInput = z.infer<typeof callNoteSchema>;
export type SocialInput = z.infer<typeof socialSchema>;
export type TurnInput = z.infer<typeof turnSchema>;
