import { z } from "zod";
import { commonFields, customerRefSchema, freeJsonObject } from "./common.js";

export const eventInputSchema = z
  .object({
    ...commonFields,
    customer: customerRefSchema,
    type: z
      .string()
      .trim()
      .regex(
        /^[a-z][a-z0-9_.-]{0,49}$/,
        "must be a lower-case word such as login, page_view, transaction, error, service",
      )
      .meta({ example: "transaction" }),
    name: z.string().trim().min(1).max(200).optional().meta({ example: "withdrawal" }),
    status: z.string().trim().min(1).max(50).optional().meta({ example: "failed" }),
    amount: z.number().finite().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")
      .optional(),
    attributes: freeJsonObject("Free JSON describing the event (page, error code, channel, ...).").optional(),
  })
  .meta({ id: "JourneyEventInput" });

export type EventInput = z.infer<typeof eventInputSchema>;
