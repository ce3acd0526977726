/** Where a Tencent Cloud API request goes. */
export interface Endpoint {
  protocol: "https:" | "http:";
  /** Host name with optional port. */
  host: string;
  /** 127.0.0.0/8, ::1 or localhost: plain http is allowed, and no proxy is used. */
  loopback: boolean;
}

/**
 * Accepts a host (`clb.intl.tencentcloudapi.com`, `127.0.0.1:9000`) or a URL (`https://...`,
 * `http://127.0.0.1:9000`). A bare host means https. Plain http is refused unless the host is
 * loopback: requests carry the session token in a header. The value is never echoed whole, so
 * that a pasted secret (user info, a query string) cannot travel on in an error message.
 */
export function parseEndpoint(value: string): Endpoint | { error: string } {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  let url: URL;
  try {
    url = new URL(hasScheme ? value : `https://${value}`);
  } catch {
    return { error: `expected a host such as "clb.intl.tencentcloudapi.com" or a URL such as "http://127.0.0.1:9000"` };
  }
  if (url.username || url.password) {
    return { error: "user info (user:password@) is not allowed in an endpoint: give only a scheme, host and port; credentials come from their own settings" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { error: `expected an https:// URL (or http:// to a loopback address), got the scheme ${JSON.stringify(url.protocol.slice(0, 20))}` };
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    return { error: `expected only a scheme, host and port, such as "https://${url.host}"` };
  }
  if (!hasScheme && url.host !== value.toLowerCase()) {
    return { error: `expected a host such as "clb.intl.tencentcloudapi.com"` };
  }
  const loopback = url.hostname === "localhost" || url.hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  if (url.protocol === "http:" && !loopback) {
    return { error: `plain http:// is accepted only for loopback hosts (credentials and the session token travel in the request); use https://${url.host}` };
  }
  return { protocol: url.protocol, host: url.host, loopback };
}

/** The API's own host for `product`: `<product>.<domain>`, finance regions `<product>.<region>.tencentcloudapi.com`. */
export function defaultEndpoint(product: string, region: string | undefined, domain: string | undefined): Endpoint {
  const host = domain ? `${product}.${domain}` : region?.endsWith("-fsi") ? `${product}.${region}.tencentcloudapi.com` : `${product}.tencentcloudapi.com`;
  return { protocol: "https:", host, loopback: false };
}

/** `https://clb.tencentcloudapi.com`: how an endpoint is shown and stored. */
export function endpointUrl(endpoint: Endpoint): string {
  return `${endpoint.protocol}//${endpoint.host}`;
}
