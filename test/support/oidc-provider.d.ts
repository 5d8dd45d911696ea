// oidc-provider ships no types and the test drives only its constructor and `callback()`; the shape
// it is used with is written here rather than a @types package for one test.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
