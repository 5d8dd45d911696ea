import type { PiiKind } from "./lexicon-schema.js";
import type { Driver } from "./sentiment.js";

export type Speaker = "customer" | "agent" | "bot";
export type SentimentLabel = "positive" | "neutral" | "negative";

export interface AnalysisInput {
  channel: "chat" | "email" | "call_note" | "social" | "text";
  subject?: string;
  text?: string;
  turns?: Array<{ speaker: Speaker; text: string }>;
  /** Facts from the channel that bear on complaint risk. */
  context?: { waitSeconds?: number; holdSeconds?: number; public?: boolean };
  /**
   * Free text stored with the record but not analysed (quoted history, signature, headers, metadata):
   * only masked, by the same rules, and handed back in `redaction.stored`. Masked here so that long
   * texts are scanned on the analysis thread, not the event loop.
   */
  stored?: Record<string, unknown>;
}

export interface SentenceResult {
  text: string;
  score: number;
  label: SentimentLabel;
  speaker?: Speaker;
  turn?: number;
  drivers: Driver[];
}

export interface TurnResult {
  index: number;
  speaker: Speaker;
  score: number;
  label: SentimentLabel;
  drivers: Driver[];
}

export interface Trajectory {
  start: number;
  end: number;
  lowest: { score: number; turn: number };
  trend: "improving" | "worsening" | "stable";
}

export interface Scored {
  score: number;
  label: SentimentLabel;
}

export interface EmotionResult {
  id: string;
  label: string;
  score: number;
  evidence: string[];
}

export interface TopicResult {
  id: string;
  label: string;
  score: number;
  sentiment: number | null;
  evidence: string[];
}

export interface NeedResult {
  id: string;
  label: string;
  confidence: number;
  evidence: string[];
}

export interface RiskReason {
  code: string;
  text: string;
  /** This reason's share of the risk (its weight times strength). */
  weight: number;
}

export interface ComplaintResult {
  risk: number;
  flagged: boolean;
  threshold: number;
  reasons: RiskReason[];
}

/** What is stored with an interaction and returned by /v1/analyze. Texts in it are redacted. */
export interface AnalysisResult {
  version: string;
  /** `scope`: every signal (English), sentiment and risk only (languages with a sentiment lexicon), or none. */
  language: { code: string; confidence: number; analysed: boolean; scope: "full" | "sentiment" | "none" };
  /**
   * The overall sentiment. A text in a language Earshot does not analyse (`language.analysed: false`)
   * has no score (null) and the label "not_analysed", never a neutral 0.
   */
  sentiment: { score: number | null; label: SentimentLabel | "not_analysed"; sentences: SentenceResult[] };
  speakers?: Partial<Record<Speaker, Scored & { turns: number }>>;
  trajectory?: Trajectory;
  turns?: TurnResult[];
  emotions: EmotionResult[];
  topics: TopicResult[];
  keyPhrases: string[];
  needs: NeedResult[];
  complaint: ComplaintResult;
  pii: Array<{ kind: PiiKind; count: number }>;
}

export interface AnalysisOutput {
  version: string;
  /** The interaction's text as written (turns joined as "speaker: text" lines). */
  text: string;
  stored: AnalysisResult;
  /** What is stored, personal data masked: the text, the turns, the subject and `input.stored`. */
  redaction: { text: string; turns: string[]; subject?: string; stored?: Record<string, unknown> };
}
