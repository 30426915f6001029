// What the rest of the desk knows about sending mail: hand a finished message to a relay, and
// learn whether a failure is worth retrying. Jobs call it; nothing else does.

export interface MailEnvelope {
  /** MAIL FROM: where bounces go. */
  from: string;
  /** RCPT TO, every recipient (To and Cc). */
  to: string[];
}

export type DeliveryFailureKind = 'temporary' | 'permanent';

export interface RecipientRejection {
  recipient: string;
  kind: DeliveryFailureKind;
  responseCode: number | null;
  response: string;
}

export interface SendResult {
  /** Recipients the relay took responsibility for. */
  accepted: string[];
  /** Recipients it refused while accepting the message for the others. */
  rejected: string[];
  rejections: RecipientRejection[];
  /** The relay's final reply, e.g. "250 2.0.0 Ok: queued as 4XyZ". */
  response: string;
}

export interface Mailer {
  /** Which relay this is, for the admin screen and the case timeline. */
  readonly description: string;
  /**
   * Hands one finished message to the relay. Resolves once the relay accepted it for at least
   * one recipient; rejects with a MailDeliveryError that says whether to try again.
   */
  send(envelope: MailEnvelope, raw: Buffer | string): Promise<SendResult>;
  /** Connects (and signs in) without sending: the admin's relay check. */
  verify(): Promise<void>;
  close(): Promise<void>;
}

export interface DeliveryErrorDetails {
  responseCode: number | null;
  response: string | null;
  /** nodemailer's error code (ECONNECTION, ETIMEDOUT, EAUTH...). */
  code: string | null;
  /** The socket's or TLS's code under it (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT...). */
  originalCode: string | null;
  /** The relay itself is misconfigured (credentials, TLS): retrying helps only after an admin fixes it. */
  configuration: boolean;
  rejections: RecipientRejection[];
}

export class MailDeliveryError extends Error {
  constructor(
    message: string,
    /** temporary: try again later (4xx, network, relay settings); permanent: give up (5xx). */
    readonly kind: DeliveryFailureKind,
    readonly details: DeliveryErrorDetails,
  ) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}

interface SmtpErrorLike {
  message?: string;
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  recipient?: string;
  rejectedErrors?: SmtpErrorLike[];
}

const CONFIGURATION_CODES = new Set([
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
  'ETLS',
  'EREQUIRETLS',
  'ECONFIG',
]);
// Node's certificate verification failures: the relay's certificate is not one we trust.
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(?:VERIFY|GET_ISSUER)|ERR_TLS|ERR_SSL/;

/** RFC 5321: 4yz transient, 5yz permanent; 503 is a broken session, not a verdict on the message. */
export function kindOfReply(responseCode: number): DeliveryFailureKind {
  return responseCode >= 500 && responseCode < 600 && responseCode !== 503
    ? 'permanent'
    : 'temporary';
}

/** Turns whatever a send threw into a MailDeliveryError. */
export function classifyDeliveryError(err: unknown): MailDeliveryError {
  if (err instanceof MailDeliveryError) return err;
  const e = (
    typeof err === 'object' && err !== null ? err : { message: String(err) }
  ) as SmtpErrorLike;
  const rejections = (e.rejectedErrors ?? []).map(toRejection);
  const code = e.code ?? null;
  const originalCode = e.originalCode ?? null;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const configuration =
    (code !== null && CONFIGURATION_CODES.has(code)) ||
    (originalCode !== null && CERTIFICATE_CODE.test(originalCode));

  // nodemailer refuses on its own when the relay announced a smaller SIZE: that never changes.
  const tooLarge = code === 'EMESSAGE' && /size larger than allowed/i.test(e.message ?? '');

  let kind: DeliveryFailureKind;
  if (configuration) kind = 'temporary';
  else if (tooLarge) kind = 'permanent';
  else if (rejections.length > 0) {
    // Every recipient refused: worth another try if any refusal was temporary.
    kind = rejections.some((r) => r.kind === 'temporary') ? 'temporary' : 'permanent';
  } else if (responseCode !== null) kind = kindOfReply(responseCode);
  else kind = 'temporary'; // no reply at all: the network, a timeout, a crash of the relay
  return new MailDeliveryError(e.message ?? 'Sending failed', kind, {
    responseCode,
    response: e.response ?? null,
    code,
    originalCode,
    configuration,
    rejections,
  });
}

export function toRejection(e: SmtpErrorLike): RecipientRejection {
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  return {
    recipient: e.recipient ?? '',
    kind: responseCode === null ? 'temporary' : kindOfReply(responseCode),
    responseCode,
    response: e.response ?? e.message ?? '',
  };
}
