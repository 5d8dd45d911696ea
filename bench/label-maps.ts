// How each data set's labels map onto Earshot's taxonomy. A row counts as a hit when Earshot finds any
// of the acceptable needs/topics. Labels with no counterpart in the taxonomy are left out of the score.

const INFO = ["information_request"];
export const banking77Needs: Record<string, string[]> = {
  card_arrival: ["delivery_issue", "card_issue"],
  card_delivery_estimate: ["information_request", "delivery_issue"],
  lost_or_stolen_card: ["card_issue", "fraud_report"],
  lost_or_stolen_phone: ["fraud_report", "account_access"],
  compromised_card: ["fraud_report"],
  card_payment_not_recognised: ["fraud_report", "billing_dispute"],
  direct_debit_payment_not_recognised: ["fraud_report", "billing_dispute"],
  cash_withdrawal_not_recognised: ["fraud_report", "billing_dispute"],
  transaction_charged_twice: ["billing_dispute"],
  extra_charge_on_statement: ["billing_dispute", "information_request"],
  card_payment_fee_charged: ["billing_dispute", "information_request"],
  transfer_fee_charged: ["billing_dispute", "information_request"],
  cash_withdrawal_charge: ["billing_dispute", "information_request"],
  exchange_charge: ["billing_dispute", "information_request"],
  top_up_by_card_charge: ["billing_dispute", "information_request"],
  top_up_by_bank_transfer_charge: ["billing_dispute", "information_request"],
  wrong_amount_of_cash_received: ["billing_dispute", "technical_problem"],
  card_payment_wrong_exchange_rate: ["billing_dispute"],
  wrong_exchange_rate_for_cash_withdrawal: ["billing_dispute"],
  request_refund: ["refund"],
  Refund_not_showing_up: ["refund", "delivery_issue"],
  terminate_account: ["cancel"],
  cancel_transfer: ["cancel"],
  edit_personal_details: ["change_details"],
  change_pin: ["change_details", "account_access"],
  passcode_forgotten: ["account_access"],
  pin_blocked: ["account_access", "card_issue"],
  unable_to_verify_identity: ["account_access", "technical_problem"],
  card_not_working: ["card_issue", "technical_problem"],
  virtual_card_not_working: ["card_issue", "technical_problem"],
  contactless_not_working: ["card_issue", "technical_problem"],
  card_swallowed: ["card_issue"],
  declined_card_payment: ["card_issue", "technical_problem"],
  declined_cash_withdrawal: ["card_issue", "technical_problem"],
  declined_transfer: ["technical_problem"],
  failed_transfer: ["technical_problem"],
  top_up_failed: ["technical_problem"],
  transfer_not_received_by_recipient: ["delivery_issue", "technical_problem"],
  activate_my_card: ["card_issue", "information_request"],
  age_limit: INFO,
  exchange_rate: INFO,
  fiat_currency_support: INFO,
  supported_cards_and_currencies: INFO,
  visa_or_mastercard: INFO,
  disposable_card_limits: INFO,
  atm_support: INFO,
  why_verify_identity: INFO,
  top_up_limits: INFO,
  country_support: INFO,
  apple_pay_or_google_pay: INFO,
  receiving_money: INFO,
  transfer_timing: INFO,
  getting_spare_card: INFO,
  order_physical_card: INFO,
  get_physical_card: INFO,
  getting_virtual_card: INFO,
  get_disposable_virtual_card: INFO,
  verify_source_of_funds: INFO,
  card_acceptance: INFO,
};

export const bitextNeeds: Record<string, string[]> = {
  cancel_order: ["cancel"],
  delete_account: ["cancel"],
  change_shipping_address: ["change_details"],
  set_up_shipping_address: ["change_details"],
  edit_account: ["change_details"],
  switch_account: ["change_details"],
  complaint: ["complaint"],
  contact_human_agent: ["escalate"],
  get_refund: ["refund"],
  track_refund: ["refund", "delivery_issue"],
  check_refund_policy: ["refund", "information_request"],
  recover_password: ["account_access"],
  registration_problems: ["technical_problem", "account_access"],
  payment_issue: ["technical_problem", "billing_dispute"],
  track_order: ["delivery_issue", "information_request"],
  delivery_period: ["information_request", "delivery_issue"],
  check_cancellation_fee: INFO,
  check_invoice: INFO,
  check_invoices: INFO,
  get_invoice: INFO,
  check_payment_methods: INFO,
  delivery_options: INFO,
  create_account: INFO,
};

/**
 * NLU++ (banking) intent modules grouped into the labels Earshot can express, each with the needs that
 * express it. The question modules (request_info, how, why, when, how_much, how_long) form one label:
 * Earshot reports "information request" once, not once per question word.
 */
export const nluLabels: Record<string, { modules: string[]; needs: string[] }> = {
  cancel: { modules: ["cancel_close_leave_freeze"], needs: ["cancel"] },
  escalate: { modules: ["handoff"], needs: ["escalate"] },
  refund: { modules: ["refund"], needs: ["refund"] },
  change: { modules: ["change"], needs: ["change_details"] },
  problem: {
    modules: ["wrong_notworking_notshowing"],
    needs: ["technical_problem", "card_issue", "delivery_issue", "account_access", "billing_dispute"],
  },
  lost_stolen: { modules: ["lost_stolen"], needs: ["card_issue", "fraud_report"] },
  question: { modules: ["request_info", "how", "why", "when", "how_much", "how_long"], needs: INFO },
};

/** Airline negative reasons onto topics. */
export const airlineReasonTopics: Record<string, string[]> = {
  "Customer Service Issue": ["customer_service", "staff_behaviour", "wait_time"],
  "Late Flight": ["delays", "wait_time"],
  "Cancelled Flight": ["cancellations"],
  "Lost Luggage": ["baggage"],
  "Damaged Luggage": ["baggage", "product_quality"],
  "Bad Flight": ["product_quality", "staff_behaviour"],
  "Flight Booking Problems": ["booking"],
  "Flight Attendant Complaints": ["staff_behaviour"],
  longlines: ["wait_time"],
};

/**
 * GoEmotions' emotions behind each of Earshot's six (lexicons/emotions.json). In customer text
 * sadness reads as disappointment, and fear and nervousness are both anxiety.
 */
export const goEmotionsToOurs: Record<string, string[]> = {
  anger: ["anger"],
  frustration: ["annoyance"],
  confusion: ["confusion"],
  anxiety: ["fear", "nervousness"],
  disappointment: ["disappointment", "sadness"],
  gratitude: ["gratitude"],
};

/** TweetEval emotion labels onto ours; joy and optimism have no counterpart (they are "none of ours"). */
export const tweetEvalEmotionToOurs: Record<string, string | undefined> = {
  anger: "anger",
  sadness: "disappointment",
  joy: undefined,
  optimism: undefined,
};
