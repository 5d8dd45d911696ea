import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { deliver } from "./support.js";

// Amazon Connect Contact Lens post-call output, in the shape its documentation's example file shows
// (Participants with roles, Transcript segments with offsets, CustomerMetadata).
const contactLens = {
  Version: "1.1.0",
  AccountId: "123456789012",
  Channel: "VOICE",
  ContentMetadata: { Output: "Raw" },
  JobStatus: "COMPLETED",
  LanguageCode: "en-US",
  Participants: [
    { ParticipantId: "CUSTOMER", ParticipantRole: "CUSTOMER" },
    { ParticipantId: "AGENT", ParticipantRole: "AGENT" },
  ],
  Categories: { MatchedCategories: [], MatchedDetails: {} },
  ConversationCharacteristics: {
    TotalConversationDurationMillis: 95000,
    Sentiment: { OverallSentiment: { AGENT: 1.2, CUSTOMER: -2.5 } },
  },
  Transcript: [
    {
      BeginOffsetMillis: 0,
      EndOffsetMillis: 2500,
      Id: "s1",
      ParticipantId: "AGENT",
      Content: "Thanks for calling, how can I help?",
      Sentiment: "NEUTRAL",
      LoudnessScore: [70],
    },
    {
      BeginOffsetMillis: 3000,
      EndOffsetMillis: 9000,
      Id: "s2",
      ParticipantId: "CUSTOMER",
      Content: "My card was declined again and I am really fed up with this.",
      Sentiment: "NEGATIVE",
      LoudnessScore: [80],
    },
  ],
  CustomerMetadata: {
    InputS3Uri: "s3://connect-bucket/recordings/abc.wav",
    ContactId: "f2b7c3a4-1111-2222-3333-444455556666",
    InstanceId: "inst-1",
  },
};

// Azure AI Speech batch transcription output with diarization.
const azure = {
  source: "https://storage.example/calls/call-42.wav",
  timestamp: "2025-03-03T10:15:00Z",
  durationInTicks: 640000000,
  duration: "PT1M4S",
  combinedRecognizedPhrases: [],
  recognizedPhrases: [
    {
      recognitionStatus: "Success",
      channel: 0,
      speaker: 1,
      offset: "PT0.5S",
      offsetInTicks: 5000000,
      duration: "PT2S",
      durationInTicks: 20000000,
      nBest: [
        {
          confidence: 0.93,
          lexical: "hello you are through to acme",
          itn: "",
          maskedITN: "",
          display: "Hello, you're through to Acme.",
        },
      ],
    },
    {
      recognitionStatus: "Success",
      channel: 0,
      speaker: 2,
      offset: "PT3S",
      offsetInTicks: 30000000,
      duration: "PT4S",
      durationInTicks: 40000000,
      nBest: [
        { confidence: 0.9, lexical: "my parcel never came", itn: "", maskedITN: "", display: "My parcel never came." },
      ],
    },
    { recognitionStatus: "NoMatch", channel: 0, speaker: 2, offsetInTicks: 80000000, nBest: [{ display: "" }] },
  ],
};

describe("call-analytics transcript connectors", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it("maps Contact Lens participants' roles to speakers and offsets to turn times", async () => {
    const out = await (
      await deliver(
        h,
        "amazon-connect",
        contactLens,
        {},
        { query: "?occurredAt=2025-03-03T10:00:00Z&customerPhone=%2B14155550123" },
      )
    ).json();
    expect(out.unmapped).toEqual([]);
    const call = await (await h.request("GET", `/v1/interactions/${out.records[0].id}`)).json();
    expect(call).toMatchObject({ channel: "call_note", source: "amazon-connect" });
    expect(call.turns.map((t: { speaker: string; at: string }) => [t.speaker, t.at])).toEqual([
      ["agent", "2025-03-03T10:00:00.000Z"],
      ["customer", "2025-03-03T10:00:03.000Z"],
    ]);
    expect(call.channelData.durationSeconds).toBe(95);
    expect(call.analysis.sentiment.label).toBe("negative");
    const again = await (
      await deliver(
        h,
        "amazon-connect",
        contactLens,
        {},
        { query: "?occurredAt=2025-03-03T10:00:00Z&customerPhone=%2B14155550123" },
      )
    ).json();
    expect(again.records[0].status).toBe("existing");
  });

  it("reports a Contact Lens file posted without the call's start (no record: occurredAt is required)", async () => {
    const out = await (
      await deliver(
        h,
        "amazon-connect",
        { ...contactLens, CustomerMetadata: { ContactId: "other" } },
        {},
        { query: "?customerPhone=%2B14155550123" },
      )
    ).json();
    expect(out.records).toEqual([]);
    expect(out.unmapped[0]).toContain("?occurredAt=");
  });

  it("maps an Azure batch transcription: the agent speaker from the query, offsets from the timestamp", async () => {
    const out = await (
      await deliver(h, "azure-speech", azure, {}, { query: "?agentSpeaker=1&customerEmail=sam%40example.com" })
    ).json();
    expect(out.unmapped).toEqual([]);
    const call = await (await h.request("GET", `/v1/interactions/${out.records[0].id}`)).json();
    expect(call.turns.map((t: { speaker: string }) => t.speaker)).toEqual(["agent", "customer"]);
    expect(call.turns[1].at).toBe("2025-03-03T10:15:03.000Z");
    expect(call.channelData.durationSeconds).toBe(64);
  });

  it("says which speaker it took as the agent when the query does not", async () => {
    const out = await (
      await deliver(
        h,
        "azure-speech",
        { ...azure, source: "https://storage.example/calls/call-43.wav" },
        {},
        { query: "?customerEmail=sam%40example.com" },
      )
    ).json();
    expect(out.records).toHaveLength(1);
    expect(out.unmapped[0]).toContain("speaker 1, who spoke first");
  });
});
