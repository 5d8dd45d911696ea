import type { MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/problem.js";

const originCheck = csrf();

/**
 * Hono's Origin check, with its refusal answered as what it is: a cross-site form post, not a key
 * without a scope (its 403 would otherwise become the `forbidden` problem).
 */
export const refuseCrossSite: MiddlewareHandler<AppEnv> = async (c, next) => {
  let passed = false;
  try {
    await originCheck(c, async () => {
      passed = true;
    });
  } catch (e) {
    if (!(e instanceof HTTPException) || e.status !== 403) throw e;
  }
  if (!passed)
    throw new ApiError(
      "cross_site",
      "Form posts to the console must come from its own pages (the Origin header names another site, or none).",
    );
  await next();
};
