import type { MomentRules } from "../../journeys/journey-risk.js";

/**
 * The moment rules scoring uses and the version stored on every moment they score: the shipped
 * file's, or an activated calibration's (src/services/calibration/state.ts swaps them at run time).
 * A moment names the rules that scored it last, so a calibration's effect can be traced moment by moment.
 */
export class RulesInForce {
  constructor(
    private rules: MomentRules,
    private version: string,
  ) {}

  /** The rules scoring uses from now on (an activated calibration, or the shipped file again). */
  use(rules: MomentRules, version: string) {
    this.rules = rules;
    this.version = version;
  }

  get current(): { rules: MomentRules; version: string } {
    return { rules: this.rules, version: this.version };
  }

  /** The rules' window around a trigger, in ms. */
  get windowMs(): number {
    return this.rules.windowHours * 3_600_000;
  }

  /**
   * The version a live moment names once scored again: the rules in force when they flag it; when
   * they do not (the moment stays live on its earlier flag), the version that flagged it.
   */
  versionAfter(flagged: boolean, previous: string): string {
    return flagged ? this.version : previous;
  }
}
