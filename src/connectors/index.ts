import { amazonConnect, azureSpeech } from "./call-transcripts.js";
import { chatwoot } from "./chatwoot.js";
import { intercom } from "./intercom.js";
import { reddit } from "./reddit.js";
import { vconConnector } from "./vcon.js";
import { x } from "./x.js";
import { zendesk } from "./zendesk.js";
import type { Connector } from "./types.js";

/** Every connector, by the path segment it is posted to. */
export const connectors: Record<string, Connector> = Object.fromEntries(
  [chatwoot, zendesk, intercom, x, reddit, vconConnector, amazonConnect, azureSpeech].map((c) => [c.sender, c]),
);
export const connectorNames = Object.keys(connectors);
