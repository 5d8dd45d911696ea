import { z } from "zod";

// What GET /v1/agents answers: per agent, moments handled, time to acknowledge, customers' sentiment.

const severity = z.enum(["low", "medium", "high", "critical"]);

export const agentReportSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    items: z.array(
      z.object({
        agent: z.object({
          ref: z.string().nullable().meta({
            description:
              "`user:<id>` for a console person, `key:<id>` for a system; null when only a transcript names the agent.",
          }),
          name: z.string().meta({
            description: "The person's or key's name; for a transcript-only agent, the id the transcripts carry.",
          }),
          kind: z.enum(["person", "key", "transcript"]),
          transcriptId: z.string().nullable().meta({
            description:
              "The agent id chats and calls carry (`session.agentId`, `agentId`), when any in the window did.",
          }),
        }),
        handled: z
          .object({
            acknowledged: z.number().int(),
            resolved: z.number().int(),
            closed: z.number().int().meta({ description: "Closed by the quiet period while assigned to them." }),
          })
          .meta({
            description: "Moments opened in the window that they acknowledged, resolved, or held when they closed.",
          }),
        timeToAcknowledge: z.object({
          responded: z
            .number()
            .int()
            .meta({ description: "Moments whose first response (acknowledgement, else resolution) was theirs." }),
          medianMinutes: z.number().nullable(),
          p90Minutes: z.number().nullable(),
          breached: z.number().int().meta({ description: "Responses later than their severity's target." }),
          bySeverity: z.array(
            z.object({
              severity,
              targetMinutes: z.number(),
              responded: z.number().int(),
              breached: z.number().int(),
            }),
          ),
        }),
        sentiment: z
          .object({
            conversations: z.number().int(),
            start: z.number().meta({ description: "Mean of the customer's trajectory start (-1..1)." }),
            end: z.number().meta({ description: "Mean of the customer's trajectory end (-1..1)." }),
            improving: z.number().int(),
            worsening: z.number().int(),
          })
          .nullable()
          .meta({
            description:
              "The customer's sentiment trajectory in the chats and calls they took; null when none in the window.",
          }),
      }),
    ),
    truncated: z.boolean().meta({ description: "More agents named by transcripts than the 100 busiest shown." }),
  })
  .meta({ id: "AgentReport" });
