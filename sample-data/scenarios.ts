// Fictional journeys for the sample data. Each scenario returns [seconds after its start, step] pairs.
export interface Person {
  name: string;
  customerId: string;
  email: string;
  phone: string;
  handle: string;
  deviceId: string;
  accountNumber: string;
}
type Who = (p: Person) => Record<string, unknown>;
export type Step =
  | {
      kind: "event";
      who: Who;
      type: string;
      name?: string;
      status?: string;
      amount?: number;
      currency?: string;
      attributes?: Record<string, unknown>;
    }
  | ({ kind: "interaction"; who: Who; channel: "chat" | "email" | "call_note" | "social" } & Record<string, unknown>);
type Rand = () => number;
type Timed = Array<[number, Step]>;

const byId: Who = (p) => ({ customerId: p.customerId });
const byDevice: Who = (p) => ({ deviceId: p.deviceId });
const byEmail: Who = (p) => ({ email: p.email, name: p.name });
const byPhone: Who = (p) => ({ phone: p.phone });
const byHandle: Who = () => ({});
const pick = <T>(r: Rand, xs: T[]): T => xs[Math.floor(r() * xs.length)];
const first = (p: Person) => p.name.split(" ")[0];

const ev = (
  who: Who,
  type: string,
  name: string,
  status: string,
  extra: Partial<Extract<Step, { kind: "event" }>> = {},
): Step => ({ kind: "event", who, type, name, status, ...extra });
const chat = (turns: Array<[string, string]>, waitSeconds: number, queue = "general"): Step => ({
  kind: "interaction",
  who: byEmail,
  channel: "chat",
  session: { queue, waitSeconds, agentId: "agent-" + ((turns.length * 7) % 23) },
  turns: turns.map(([speaker, text]) => ({ speaker, text })),
});
const email = (subject: string, body: string): Step => ({
  kind: "interaction",
  who: byEmail,
  channel: "email",
  subject,
  body,
  direction: "inbound",
});
const call = (text: string, durationSeconds: number, holdSeconds: number, disposition: string): Step => ({
  kind: "interaction",
  who: byPhone,
  channel: "call_note",
  text,
  durationSeconds,
  holdSeconds,
  disposition,
});
const post = (p: Person, text: string): Step => ({
  kind: "interaction",
  who: byHandle,
  channel: "social",
  platform: "twitter",
  authorHandle: "@" + p.handle,
  text,
  public: true,
  url: `https://social.example/${p.handle}/status/${text.length}`,
});

const angryOpeners = [
  "This is the second time my card has been declined today.",
  "Your app rejected my card payment again and I am stuck at the checkout.",
  "I tried to pay for groceries and the card was declined, so embarrassing.",
];
const agentHelp = [
  "I'm sorry about that. I can see a temporary block on the card, I have removed it now.",
  "Apologies for the trouble. A security check stopped the payment; it is cleared now.",
  "Sorry for the inconvenience, the card was flagged by mistake and is active again.",
];
const thanks = [
  "Ok it went through now, thank you for sorting it so quickly.",
  "Great, that worked. Thanks for the help!",
  "Payment done. Appreciate the quick fix.",
];
const loginComplaints = [
  "I can't log in to the app, it keeps saying my password is wrong even after the reset.",
  "Locked out of online banking for the third time this week.",
  "The verification code never arrives so I cannot sign in.",
];
const feeQuestions = [
  "Could you explain the monthly account fee on my statement? I thought my plan was free.",
  "What is the fee for sending money abroad, and how long does it take?",
  "Is there a charge for withdrawing cash at other banks' machines?",
];
const praise = [
  "Shoutout to the support team, sorted my transfer in five minutes. Brilliant service!",
  "Honestly the new app update is great, paying bills is so much easier now.",
  "Big thanks to the lady on the phone today who went above and beyond to help me.",
];
const outagePosts = [
  "Is the app down again? Can't see my balance and I need to pay rent today.",
  "Great, another outage. Third time this month the app won't load.",
  "App crashes every time I open payments. Fix it please.",
];

export const scenarios = {
  mariaStory(p: Person): Timed {
    return [
      [0, ev(byDevice, "login", "mobile_login", "succeeded", { attributes: { channel: "app" } })],
      [
        35,
        ev(byDevice, "page_view", "savings_balance", "viewed", { attributes: { account: "savings", balance: 4200 } }),
      ],
      [70, ev(byDevice, "page_view", "offer_clicked", "clicked", { attributes: { offer: "fixed-rate savings 4.1%" } })],
      [
        120,
        ev(byId, "transaction", "withdrawal", "failed", {
          amount: 900,
          currency: "USD",
          attributes: { account: "checking", available: 350 },
        }),
      ],
      [
        121,
        ev(byId, "error", "insufficient_funds", "shown", {
          attributes: { code: "E-4021", message: "Amount exceeds available balance" },
        }),
      ],
      [
        180,
        chat(
          [
            ["customer", "I just tried to withdraw 900 and got an error. My money is right there in my account!"],
            ["bot", "An agent will be with you shortly."],
            ["customer", "Hello?? I have been waiting and nobody is answering."],
            [
              "agent",
              "Hi Maria, sorry for the wait. The withdrawal was from checking, which has 350 available; the 4,200 is in savings.",
            ],
            ["customer", "Why would the app even let me pick that account? This is ridiculous."],
          ],
          44,
          "payments",
        ),
      ],
      [
        900,
        post(
          p,
          "@EarshotBank worst banking app ever. Tried to get MY OWN money out, got an error, then waited forever in chat. Done with you.",
        ),
      ],
      [
        2400,
        email(
          "Close my account",
          "Hello,\n\nAfter today's experience I want to close my checking and savings accounts. Please transfer the balance to my other bank and confirm in writing.\n\nThis is unacceptable.\n\nMaria Gomez",
        ),
      ],
    ];
  },
  weighted: {
    cardDeclined(_p: Person, r: Rand): Timed {
      return [
        [
          0,
          ev(byId, "transaction", "card_payment", "failed", {
            amount: Math.round(20 + r() * 180),
            currency: "USD",
            attributes: { merchant: pick(r, ["grocer", "fuel station", "pharmacy"]) },
          }),
        ],
        [
          240,
          chat(
            [
              ["customer", pick(r, angryOpeners)],
              ["agent", pick(r, agentHelp)],
              ["customer", pick(r, thanks)],
            ],
            Math.round(10 + r() * 150),
            "cards",
          ),
        ],
      ];
    },
    doubleCharge(p: Person, r: Rand): Timed {
      const amount = Math.round(30 + r() * 300);
      return [
        [0, ev(byId, "transaction", "card_payment", "succeeded", { amount, currency: "USD" })],
        [1, ev(byId, "transaction", "card_payment", "succeeded", { amount, currency: "USD" })],
        [
          7200,
          email(
            pick(r, ["Charged twice", "Duplicate payment", "Wrong amount taken"]),
            `Hi,\n\nI was charged twice for the same purchase of $${amount} yesterday. Please refund the duplicate payment.\n\nThanks,\n${first(p)}`,
          ),
        ],
        [
          172800,
          call(
            pick(r, [
              "Customer called chasing the refund for a duplicate card payment, second contact. Frustrated, asked for a manager. Raised a dispute.",
              "Follow-up on double charge. Customer upset nobody replied to her email. Refund promised within 3 days.",
            ]),
            Math.round(300 + r() * 600),
            Math.round(r() * 400),
            "dispute_raised",
          ),
        ],
        ...(r() < 0.4
          ? ([
              [
                180000,
                post(
                  p,
                  "Still waiting for my refund after being charged twice. Two contacts and nothing. @EarshotBank",
                ),
              ],
            ] as Timed)
          : []),
      ];
    },
    loginTrouble(_p: Person, r: Rand): Timed {
      return [
        [0, ev(byDevice, "login", "mobile_login", "failed", { attributes: { reason: "bad_password" } })],
        [60, ev(byDevice, "login", "mobile_login", "failed", { attributes: { reason: "bad_password" } })],
        [120, ev(byDevice, "error", "account_locked", "shown", { attributes: { code: "E-1009" } })],
        [
          600,
          chat(
            [
              ["customer", pick(r, loginComplaints)],
              ["agent", "I can help with that. I've sent a reset link to your registered email."],
              [
                "customer",
                pick(r, [
                  "Got it, I'm back in. Thanks.",
                  "Still doesn't work, this is a waste of time.",
                  "Ok that worked, thank you.",
                ]),
              ],
            ],
            Math.round(r() * 200),
            "access",
          ),
        ],
      ];
    },
    feeQuestion(p: Person, r: Rand): Timed {
      return [
        [0, ev(byDevice, "page_view", "fees_and_charges", "viewed")],
        [
          300,
          email(
            pick(r, ["Question about fees", "Account charges", "Fee query"]),
            `Hello,\n\n${pick(r, feeQuestions)}\n\nKind regards,\n${p.name}`,
          ),
        ],
      ];
    },
    cardArrival(_p: Person, r: Rand): Timed {
      return [
        [0, ev(byId, "service", "card_dispatched", "succeeded")],
        [
          864000,
          chat(
            [
              [
                "customer",
                pick(r, [
                  "My new card still hasn't arrived, it's been ten days.",
                  "Where is my replacement card? I ordered it two weeks ago.",
                  "Card never arrived and I'm travelling on Friday, I'm worried.",
                ]),
              ],
              ["agent", "Let me check the delivery status for you."],
              [
                "customer",
                pick(r, ["Please hurry, I need it.", "OK, thanks for checking.", "Can you send a new one express?"]),
              ],
            ],
            Math.round(r() * 120),
            "cards",
          ),
        ],
      ];
    },
    fraud(_p: Person, r: Rand): Timed {
      return [
        [
          0,
          ev(byId, "transaction", "card_payment", "succeeded", {
            amount: Math.round(200 + r() * 800),
            currency: "USD",
            attributes: { merchant: "online electronics", country: "unknown" },
          }),
        ],
        [
          3600,
          call(
            pick(r, [
              "Customer reported a payment she did not make, card blocked, new card ordered, fraud case opened. Customer anxious about rent money.",
              "Caller says someone used his card online. Blocked card, raised fraud claim, explained the refund timeline.",
            ]),
            Math.round(400 + r() * 500),
            Math.round(r() * 300),
            "fraud_case",
          ),
        ],
      ];
    },
    praise(p: Person, r: Rand): Timed {
      return [
        [0, ev(byId, "transaction", "transfer", "succeeded", { amount: Math.round(50 + r() * 500), currency: "USD" })],
        [600, post(p, pick(r, praise))],
      ];
    },
    outage(p: Person, r: Rand): Timed {
      return [
        [0, ev(byDevice, "error", "app_unavailable", "shown", { attributes: { code: "E-5003" } })],
        [120, ev(byDevice, "login", "mobile_login", "failed", { attributes: { reason: "service_unavailable" } })],
        [300, post(p, pick(r, outagePosts))],
      ];
    },
    closeAccount(p: Person, r: Rand): Timed {
      return [
        [
          0,
          email(
            "Account closure",
            pick(r, [
              "Please close my account. I'm moving to another bank because the fees keep going up.\n\nRegards,\n" +
                p.name,
              "I would like to cancel my credit card and close the account, effective immediately. Nobody ever called back about my complaint.\n\n" +
                p.name,
            ]),
          ),
        ],
        [
          86400,
          call(
            "Retention call. Customer confirmed closure, offered fee waiver, declined.",
            480,
            120,
            "closure_confirmed",
          ),
        ],
      ];
    },
    transferQuestion(_p: Person, r: Rand): Timed {
      return [
        [
          0,
          ev(byId, "transaction", "transfer", pick(r, ["pending", "succeeded"]), {
            amount: Math.round(100 + r() * 2000),
            currency: "USD",
          }),
        ],
        [
          1800,
          chat(
            [
              [
                "customer",
                pick(r, [
                  "How long does an international transfer usually take?",
                  "My transfer is still pending, when will it arrive?",
                  "Can I cancel a transfer I just made?",
                ]),
              ],
              ["agent", "Transfers abroad normally arrive within one to two working days."],
              ["customer", pick(r, ["Ok thanks.", "That's fine, thank you.", "Two days is too slow, honestly."])],
            ],
            Math.round(r() * 90),
            "payments",
          ),
        ],
      ];
    },
  } satisfies Record<string, (p: Person, r: Rand) => Timed>,
};
