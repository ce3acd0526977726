import { createHash, createHmac } from "node:crypto";
import { ApiError, invalidParameterValue, missingParameter } from "./apiError";

export interface Credential {
  secretId: string;
  secretKey: string;
  /** Set for temporary credentials: requests must then carry it in `X-TC-Token`. */
  token?: string;
  /** The account (uin) it acts in; default `DEFAULT_ACCOUNT` of sts.ts. */
  account?: string;
}

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  /** Service of the credential scope, e.g. `cvm`. */
  service: string;
  /** Unix seconds, as sent in `X-TC-Timestamp`. */
  timestamp: number;
  /** The headers to sign, by name in any case; at least `content-type` and `host`. */
  headers: Record<string, string>;
  payload: string | Buffer;
}

/** The signature and the intermediate values of its computation. */
export interface Tc3Signature {
  date: string;
  signedHeaders: string;
  hashedPayload: string;
  canonicalRequest: string;
  hashedCanonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

/** TC3-HMAC-SHA256 for `POST /` without a query string, the only request form the emulator serves. */
export function signTc3(input: Tc3Input): Tc3Signature {
  const headers = Object.entries(input.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim()])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([name]) => name).join(";");
  const canonicalHeaders = headers.map(([name, value]) => `${name}:${value}\n`).join("");
  const hashedPayload = sha256Hex(input.payload);
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, signedHeaders, hashedPayload].join("\n");
  const hashedCanonicalRequest = sha256Hex(canonicalRequest);
  const date = utcDate(input.timestamp);
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = ["TC3-HMAC-SHA256", String(input.timestamp), scope, hashedCanonicalRequest].join("\n");
  const dateKey = hmac(`TC3${input.secretKey}`, date);
  const signingKey = hmac(hmac(dateKey, input.service), "tc3_request");
  const signature = hmac(signingKey, stringToSign).toString("hex");
  const authorization = `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return {
    date,
    signedHeaders,
    hashedPayload,
    canonicalRequest,
    hashedCanonicalRequest,
    stringToSign,
    signature,
    authorization,
  };
}

/** Lower-case header names, values as received. */
export type RequestHeaders = Readonly<Record<string, string | undefined>>;

const MAX_CLOCK_SKEW_SECONDS = 300;
// TC3-HMAC-SHA256 Credential=<SecretId>/<Date>/<Service>/tc3_request, SignedHeaders=<names>, Signature=<hex>
const AUTHORIZATION = new RegExp(
  String.raw`^TC3-HMAC-SHA256 Credential=([^/\s]+)/(\d{4}-\d{2}-\d{2})/([^/\s]+)/tc3_request, *` +
    String.raw`SignedHeaders=([a-z0-9;-]+), *Signature=([0-9a-f]{64})$`,
);

/** Who signed a request, and for which service. */
export interface Verified {
  credential: Credential;
  /** The credential scope's service; the action's product is checked against it later. */
  service: string;
}

/**
 * Checks a request's Authorization, timestamp, signature and token the way API 3.0 does, and
 * returns the credential that signed it. Scope date and service come from `Authorization`: the
 * SDK derives the service from the endpoint's first host label, which is `127` on loopback.
 */
export function verifyTc3(
  headers: RequestHeaders,
  body: Buffer,
  credentials: readonly Credential[],
  nowMs: number,
): Verified {
  const match = AUTHORIZATION.exec(headers.authorization ?? "");
  if (!match) {
    throw new ApiError(
      "AuthFailure.InvalidAuthorization",
      "The Authorization header is missing or malformed: expected `TC3-HMAC-SHA256 " +
        "Credential=<SecretId>/<Date>/<Service>/tc3_request, SignedHeaders=content-type;host, Signature=<hex>`.",
    );
  }
  const [, secretId, scopeDate, service, signedHeaderList, signature] = match;
  const signedHeaders = signedHeaderList.split(";");
  if (!signedHeaders.includes("content-type") || !signedHeaders.includes("host")) {
    throw new ApiError(
      "AuthFailure.InvalidAuthorization",
      `SignedHeaders \`${signedHeaderList}\` must include \`content-type\` and \`host\`.`,
    );
  }
  const timestamp = checkTimestamp(headers["x-tc-timestamp"], nowMs);
  if (scopeDate !== utcDate(timestamp)) {
    throw new ApiError(
      "AuthFailure.SignatureFailure",
      `The credential scope date \`${scopeDate}\` is not ${utcDate(timestamp)}, the UTC date of X-TC-Timestamp.`,
    );
  }
  const credential = credentials.find((c) => c.secretId === secretId);
  if (!credential) {
    throw new ApiError(
      "AuthFailure.SecretIdNotFound",
      `The SecretId \`${secretId}\` is not found, please ensure that your SecretId is correct.`,
    );
  }
  // The SDK signs the host without its port but sends `Host` with it; other clients sign it as sent.
  const host = headers.host ?? "";
  const hosts = new Set([host, host.replace(/:\d+$/, "")]);
  const matches = (signedHost: string) =>
    signTc3({
      secretId,
      secretKey: credential.secretKey,
      service,
      timestamp,
      headers: Object.fromEntries(
        signedHeaders.map((name) => [name, name === "host" ? signedHost : (headers[name] ?? "")]),
      ),
      payload: body,
    }).signature === signature;
  if (![...hosts].some(matches)) {
    throw new ApiError(
      "AuthFailure.SignatureFailure",
      "The provided credentials could not be validated. Please check your signature is correct.",
    );
  }
  checkToken(credential, headers["x-tc-token"]);
  return { credential, service };
}

function checkTimestamp(header: string | undefined, nowMs: number): number {
  if (header === undefined) throw missingParameter("Timestamp");
  if (!/^\d+$/.test(header)) throw invalidParameterValue("Timestamp", "unix seconds", header);
  const timestamp = Number(header);
  const now = Math.floor(nowMs / 1000);
  const skew = timestamp - now;
  if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
    throw new ApiError(
      "AuthFailure.SignatureExpire",
      `Signature expired: X-TC-Timestamp ${timestamp} is ${Math.abs(skew)} s ${skew < 0 ? "behind" : "ahead of"} ` +
        `the server time ${now}; they may differ by at most ${MAX_CLOCK_SKEW_SECONDS} s. ` +
        "Check that the local clock is synchronized.",
    );
  }
  return timestamp;
}

function checkToken(credential: Credential, token: string | undefined): void {
  if (credential.token === undefined && token !== undefined) {
    throw new ApiError(
      "AuthFailure.TokenFailure",
      `X-TC-Token was sent, but SecretId \`${credential.secretId}\` is a permanent key that takes no token.`,
    );
  }
  if (credential.token !== undefined && token === undefined) {
    throw new ApiError(
      "AuthFailure.TokenFailure",
      `SecretId \`${credential.secretId}\` belongs to temporary credentials: send their token in X-TC-Token.`,
    );
  }
  if (token !== credential.token) {
    throw new ApiError(
      "AuthFailure.TokenFailure",
      `The token in X-TC-Token is not valid for SecretId \`${credential.secretId}\`.`,
    );
  }
}

function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}
