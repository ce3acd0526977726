import { ApiError, missingParameter } from "./apiError";
import { checkParameters } from "./parameters";
import { isRegion } from "./regions";
import { SERVICE_NAMES, SERVICE_TABLE, serviceContext, type ActionContext, type ActionDefinition, type EmulatedService } from "./services";

export type { ActionContext } from "./services";

/** An action of the service table, with what the pipeline checks before running it. */
export interface ServedAction {
  name: string;
  service: EmulatedService;
  product: string;
  version: string;
  regionRequired: boolean;
  definition: ActionDefinition;
}

const SERVED: ServedAction[] = SERVICE_NAMES.flatMap((service) => {
  const { product, version, regionRequired, actions } = SERVICE_TABLE[service];
  return actions.map((definition) => ({ name: definition.name, service, product, version, regionRequired, definition }));
});
const BY_NAME = new Map<string, ServedAction[]>();
for (const action of SERVED) BY_NAME.set(action.name, [...(BY_NAME.get(action.name) ?? []), action]);
const PRODUCTS = new Set(SERVED.map((action) => action.product));

/** Whether the table serves an action of this name (in some product and version). */
export function isServedAction(name: string): boolean {
  return BY_NAME.has(name);
}

/** For whom a request was signed: the credential scope's service, and the Host it was sent to. */
export interface Signing {
  service: string;
  host: string;
}

/**
 * Whether a request was signed for `product`, as the real API requires of a request to
 * `<product>.tencentcloudapi.com`. The emulator serves every product on one host, so a request
 * signed for that host's first label (what an SDK client aimed at `127.0.0.1:PORT` signs for,
 * `127`) is taken as signed for the product it asks for; a request signed for another product is not.
 */
export function signedFor({ service, host }: Signing, product: string): boolean {
  if (service === product) return true;
  const labels = [host.split(".")[0], host.replace(/:\d+$/, "").split(".")[0]];
  return !PRODUCTS.has(service) && labels.includes(service);
}

/** The action named by `X-TC-Action` in `X-TC-Version`, of the product the request was signed for. */
export function findAction(name: string | undefined, version: string | undefined, signing: Signing): ServedAction {
  if (name === undefined) throw missingParameter("Action");
  const named = BY_NAME.get(name);
  if (!named) throw new ApiError("InvalidAction", `The requested action \`${name}\` does not exist.`);
  if (version === undefined) throw missingParameter("Version");
  const versioned = named.filter((action) => action.version === version);
  if (versioned.length === 0) {
    const uses = named.map((action) => `${action.product} uses \`${action.version}\``).join(", ");
    throw new ApiError("NoSuchVersion", `The requested version \`${version}\` of action \`${name}\` does not exist; ${uses}.`);
  }
  const action = versioned.find((a) => a.product === signing.service) ?? versioned[0];
  if (!signedFor(signing, action.product)) {
    throw new ApiError(
      "AuthFailure.SignatureFailure",
      `The request was signed for service \`${signing.service}\`, but \`${name}\` (${version}) is an action of ` +
        `\`${action.product}\` (${action.product}.tencentcloudapi.com): sign it for \`${action.product}\`.`,
    );
  }
  return action;
}

/** Validates region and parameters, then runs the action; returns the `Response` without `RequestId`. */
export function runAction(action: ServedAction, request: Record<string, unknown>, context: ActionContext): object {
  checkRegion(action, context.region);
  checkParameters(action.definition.parameters, request);
  return action.definition.handle(request, serviceContext(action.service, action.definition.idSpace, context));
}

function checkRegion(action: ServedAction, region: string | undefined): void {
  if (region === undefined) {
    if (action.regionRequired) throw missingParameter("Region");
    return;
  }
  if (!isRegion(region)) {
    throw new ApiError("InvalidParameter.RegionNotFound", `The region \`${region}\` given in parameter \`Region\` does not exist.`);
  }
}

/** The request's parameters: a JSON object, or an `InvalidParameter`. */
export function parseBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ApiError("InvalidParameter", "The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ApiError("InvalidParameter", "The request body must be a JSON object of parameters.");
  }
  return parsed as Record<string, unknown>;
}
