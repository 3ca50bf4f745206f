/**
 * The development credentials the local sandboxes accept, in one place. Adapters fall back to them
 * only when their base URL is on this machine (see `isLoopback`); anywhere else every credential must
 * come from the environment, and a missing one is an error that names the variable.
 * None of these is a secret: they open nothing but a sandbox on 127.0.0.1.
 */
export const SANDBOX_CREDENTIALS = {
  mpesa: {
    consumerKey: "juapesa-dev-consumer-key",
    consumerSecret: "juapesa-dev-consumer-secret",
    shortcode: "174379",
    passkey: "juapesa-dev-stk-passkey",
    b2cShortcode: "600980",
    initiatorName: "juapesa-dev-initiator",
    securityCredential: "juapesa-dev-security-credential",
  },
  "mtn-momo": {
    targetEnvironment: "sandbox",
    collection: { userId: "2f1b6a5e-6c1d-4b8e-9a43-0c6f7d2e9b11", apiKey: "juapesa-dev-momo-collection-key", subscriptionKey: "juapesa-dev-momo-collection-sub" },
    disbursement: { userId: "6e0c9d3a-1f7b-4c55-8d2e-5b9a0f4c7e22", apiKey: "juapesa-dev-momo-disbursement-key", subscriptionKey: "juapesa-dev-momo-disbursement-sub" },
  },
  airtel: {
    clientId: "juapesa-dev-airtel-client",
    clientSecret: "juapesa-dev-airtel-secret",
    disbursementPin: "1234",
  },
  orange: {
    clientId: "juapesa-dev-orange-client",
    clientSecret: "juapesa-dev-orange-secret",
    merchantKey: "juapesadev",
  },
  afrimoney: {
    clientId: "juapesa-dev-afrimoney-client",
    clientSecret: "juapesa-dev-afrimoney-secret",
  },
  africastalking: {
    username: "sandbox",
    apiKey: "juapesa-dev-at-api-key",
  },
  kyc: {
    partnerId: "juapesa-dev-partner",
    apiKey: "juapesa-dev-kyc-api-key",
  },
} as const;
