/**
 * The package schema: what `pulumi package add` generates SDKs from, and what a YAML program's
 * type token refers to. Inputs, outputs and their descriptions come from the service catalogue
 * and the lifecycle's own lists, so that a new service or input shows up here by itself; a name
 * without a type below fails the build of the schema (and its test) instead of drifting.
 */
import { adapterFor, DETAIL_KEYS, DETAILS, INPUT_NAMES, MAX_TIMEOUT_SECONDS, PACKAGE, SERVICES, TASK_OUTPUTS, UPDATE_ON_CHANGE, type ConfigKey, type DetailKind } from "./engine";

export const RESOURCE = `${PACKAGE}:index:TaskCompletion`;
const SERVICE_TYPE = `${PACKAGE}:index:Service`;
const ASSUME_ROLE_TYPE = `${PACKAGE}:index:AssumeRole`;
const CONFIG_ASSUME_ROLE_TYPE = `${PACKAGE}:config:AssumeRole`;

/** A type reference, as Pulumi's metaschema allows it. */
export type TypeSpec =
  | { type: "string" | "integer" | "number" | "boolean" }
  | { type: "array"; items: TypeSpec }
  | { type: "object"; additionalProperties?: TypeSpec }
  | { $ref: string }
  | { oneOf: TypeSpec[] };

export type PropertySpec = TypeSpec & { description: string; secret?: boolean; willReplaceOnChanges?: boolean };

export interface ObjectTypeSpec {
  type: "object";
  description: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export interface EnumTypeSpec {
  type: "string";
  description: string;
  enum: { value: string; description: string }[];
}

export interface ResourceSpec {
  description: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
  properties: Record<string, PropertySpec>;
  required: string[];
}

export interface PackageSpec {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  license: string;
  config: { variables: Record<string, PropertySpec> };
  provider: { description: string; inputProperties: Record<string, PropertySpec> };
  types: Record<string, ObjectTypeSpec | EnumTypeSpec>;
  resources: Record<string, ResourceSpec>;
  language: Record<string, Record<string, unknown>>;
}

const string = { type: "string" } as const;
const integer = { type: "integer" } as const;
const number = { type: "number" } as const;
const boolean = { type: "boolean" } as const;
const any = { $ref: "pulumi.json#/Any" };
/** A status value as an API writes it: CLB `Status` 2, Redis `Status` "running". */
const statusValue: TypeSpec = { oneOf: [string, number, boolean] };

/** The type of every input any service takes. */
const INPUT_TYPES: Record<string, TypeSpec> = {
  service: { $ref: `#/types/${SERVICE_TYPE}` },
  region: string,
  endpoint: string,
  timeoutSeconds: number,
  failOnTaskFailure: boolean,
  triggers: { type: "array", items: any },
  profile: string,
  assumeRole: { $ref: `#/types/${ASSUME_ROLE_TYPE}` },
  // An integer id (Redis TaskId) or a string one (a CLB RequestId): which, the service's description says.
  taskId: { oneOf: [string, integer] },
  flowId: { oneOf: [string, integer] },
  dealName: string,
  zoneId: string,
  instanceId: string,
  product: string,
  version: string,
  action: string,
  request: { type: "object", additionalProperties: any },
  statusPath: string,
  pendingStatuses: { type: "array", items: statusValue },
  successStatuses: { type: "array", items: statusValue },
  failureStatuses: { type: "array", items: statusValue },
  messagePath: string,
};

/** The inputs every service takes (the services' own describe themselves in the catalogue). */
const COMMON_DESCRIPTIONS: Record<string, string> = {
  region: "The task's region, such as `ap-guangzhou`. Default: the provider's `region`, env `TENCENTCLOUD_REGION`, then the tccli profile's region.",
  endpoint: "A host or URL instead of the service's own (`clb.tencentcloudapi.com`); plain `http://` only for loopback hosts.",
  timeoutSeconds: `How long to wait, in seconds, from 1 to ${MAX_TIMEOUT_SECONDS}; default 1800. The resource's \`customTimeouts\` (create, update) apply too: the smaller wins. A wait that times out keeps its place: the next \`pulumi up\` resumes it.`,
  failOnTaskFailure: "Default true: a failed task fails the deployment with its reason. False records the failure (`status: failed`) and lets the deployment go on.",
  triggers: "Any values; a change forces a new wait.",
  profile: "A tccli profile (`~/.tccli/<profile>.credential`) to wait with, instead of the provider's credentials.",
  assumeRole: "A role to assume (STS AssumeRole) for this wait, on top of the credentials found.",
};

const DETAIL_TYPES: Record<DetailKind, TypeSpec> = { text: string, texts: { type: "array", items: string }, number };

/** What a wait adds to the inputs: its verdict, the service's details (services/details.ts), its figures. */
const OUTPUTS: Record<string, { type: TypeSpec; description: string }> = {
  status: { type: string, description: '`succeeded`, or `failed` (with `failOnTaskFailure: false`). In the state of a wait a timeout or a cancellation stopped, `pending`: the next `pulumi up` resumes it.' },
  rawStatus: { type: statusValue, description: "The API's own status value: CLB `Status` 0, Redis `succeed`, CDB `SUCCESS`, ..." },
  message: { type: string, description: "The failure reason in the API's words, for services that give one." },
  ...Object.fromEntries(DETAIL_KEYS.map((key) => [key, { type: DETAIL_TYPES[DETAILS[key].kind], description: DETAILS[key].description }])),
  completedAt: { type: string, description: "ISO-8601 time at which completion was observed." },
  attempts: { type: integer, description: "Status calls made, failed ones included, over every try." },
  waitedSeconds: { type: number, description: "Seconds waited, over every try." },
};

/** Present in every state, even that of an interrupted wait. */
const REQUIRED_OUTPUTS = ["service", "timeoutSeconds", "failOnTaskFailure", "status", "attempts", "waitedSeconds"];

const ENV = (name: string) => `Default: env \`${name}\`.`;

/** The provider's configuration, as the official TencentCloud provider names it. */
const CONFIG: Record<ConfigKey, PropertySpec> = {
  region: { ...string, description: `The default region of every wait, such as \`ap-guangzhou\`. ${ENV("TENCENTCLOUD_REGION")} Then the tccli profile's region.` },
  secretId: { ...string, description: `The SecretId. Set here, it wins over env \`TENCENTCLOUD_SECRET_ID\` and over profiles.` },
  secretKey: { ...string, secret: true, description: "The SecretKey. Set here, it wins over env `TENCENTCLOUD_SECRET_KEY` and over profiles. Never in state, outputs or messages." },
  securityToken: { ...string, secret: true, description: "The session token of temporary credentials. Set here, it wins over env `TENCENTCLOUD_SECURITY_TOKEN`." },
  profile: { ...string, description: `The tccli profile to take credentials (and the default region) from. ${ENV("TENCENTCLOUD_PROFILE")}` },
  sharedCredentialsDir: { ...string, description: `The folder of the tccli profiles. ${ENV("TENCENTCLOUD_SHARED_CREDENTIALS_DIR")} Then \`~/.tccli\`.` },
  camRoleName: { ...string, description: `The CVM instance role to take credentials of. ${ENV("TENCENTCLOUD_CAM_ROLE_NAME")}` },
  assumeRole: { $ref: `#/types/${CONFIG_ASSUME_ROLE_TYPE}`, description: "A role every wait assumes (STS AssumeRole) with the credentials found." },
  domain: { ...string, description: `The API's root domain, such as \`intl.tencentcloudapi.com\`. ${ENV("TENCENTCLOUD_DOMAIN")} Then \`tencentcloudapi.com\`.` },
  requestsPerSecond: { ...integer, description: `The budget of status calls per second, per status action and account, from 1 to 100. ${ENV("TENCENTCLOUD_TASK_REQUESTS_PER_SECOND")} Then 85 % of each action's documented limit.` },
  coordination: {
    ...string,
    // A Redis URL may hold a password: kept encrypted in state, never quoted in a message.
    secret: true,
    description:
      "How processes share each budget: `machine` (default: the processes of one machine, through the temp directory), `off`, or " +
      "`redis://[user:password@]host:port[/db]` (`rediss://` for TLS): every process of every machine through one Redis server. " +
      `${ENV("TENCENTCLOUD_TASK_COORDINATION")}`,
  },
};

/** Configuration keys that are secret: always answered as secrets, so that state keeps them encrypted. */
export const SECRET_CONFIG_KEYS = Object.keys(CONFIG).filter((key) => CONFIG[key as ConfigKey].secret);

const ROLE_PROPERTIES: Record<string, PropertySpec> = {
  roleArn: { ...string, description: "The role, such as `qcs::cam::uin/100000000001:roleName/deployer`." },
  sessionName: { ...string, description: "Default `tencentcloud-task-completion`." },
  sessionDuration: { ...integer, description: "Seconds, from 900 to 43200; default 7200." },
  externalId: { ...string, description: "The external id the role's trust policy asks for, if any." },
};

/** Builds the schema; throws if an input or output has no type here. */
export function packageSchema(version: string): PackageSpec {
  const inputs = Object.fromEntries(INPUT_NAMES.map((name) => [name, inputProperty(name)]));
  // The outputs hold the inputs as checked; whether a change replaces is said of the inputs only.
  const properties: Record<string, PropertySpec> = Object.fromEntries(Object.entries(inputs).map(([name, { willReplaceOnChanges: _, ...spec }]) => [name, spec as PropertySpec]));
  for (const name of TASK_OUTPUTS) {
    const output = OUTPUTS[name];
    if (!output) throw new Error(`the output ${name} has no type in provider/plugin/schema.ts`);
    // An output that is also an input (CVM's instanceId) keeps the input's type and says both.
    properties[name] = properties[name] ? { ...properties[name], description: `${properties[name].description}\n\nAs an output: ${output.description}` } : { ...output.type, description: output.description };
  }
  return {
    name: PACKAGE,
    displayName: "TencentCloud Task Completion",
    version,
    description: "A resource that blocks `pulumi up` until an asynchronous Tencent Cloud task (CLB, Redis, CVM, VPC, CDB, MongoDB and more) has really finished.",
    keywords: ["pulumi", "tencentcloud", "category/cloud", "kind/native"],
    license: "Apache-2.0",
    config: { variables: CONFIG },
    provider: { description: "The provider's configuration: credentials, region and budget of every wait it runs.", inputProperties: CONFIG },
    types: {
      [SERVICE_TYPE]: {
        type: "string",
        description: "The service whose task to wait on.",
        enum: SERVICES.map((service) => ({ value: service, description: adapterFor(service)!.api })),
      },
      [ASSUME_ROLE_TYPE]: { type: "object", description: "A role to assume for one wait.", properties: ROLE_PROPERTIES, required: ["roleArn"] },
      [CONFIG_ASSUME_ROLE_TYPE]: {
        type: "object",
        description: "A role every wait assumes, as the official provider's `assumeRole` block.",
        properties: { ...ROLE_PROPERTIES, policy: { ...string, description: "A policy document (JSON text) that narrows the session's permissions." } },
        required: ["roleArn"],
      },
    },
    resources: {
      [RESOURCE]: {
        description:
          "Blocks `pulumi up` until an asynchronous Tencent Cloud task has finished, so that other resources can depend on it. " +
          "A failed task fails the deployment with its own reason; a wait that times out or is cancelled keeps its place, and the next `pulumi up` resumes it.",
        inputProperties: inputs,
        requiredInputs: ["service"],
        properties,
        required: REQUIRED_OUTPUTS,
      },
    },
    language: {
      nodejs: { packageName: "tencentcloud-task-completion-sdk", packageDescription: "Generated SDK of the tencentcloud-task-completion provider plugin." },
      python: { packageName: "pulumi_tencentcloud_task_completion", pyproject: { enabled: true }, requires: { pulumi: ">=3.0.0,<4.0.0" } },
      go: { importBasePath: "github.com/tencentcloud-task-completion/pulumi-tencentcloud-task-completion/sdk/go/taskcompletion" },
      csharp: { namespaces: { [PACKAGE]: "TencentCloudTaskCompletion" }, packageReferences: { Pulumi: "3.*" } },
      java: { basePackage: "com.pulumi", buildFiles: "gradle" },
    },
  };
}

function inputProperty(name: string): PropertySpec {
  const type = INPUT_TYPES[name];
  if (!type) throw new Error(`the input ${name} has no type in provider/plugin/schema.ts`);
  const replaces = UPDATE_ON_CHANGE.includes(name) ? {} : { willReplaceOnChanges: true };
  return { ...type, description: inputDescription(name), ...replaces };
}

/** A service's own input, described by each service that takes it. */
function inputDescription(name: string): string {
  if (name === "service") return `The service whose task to wait on: ${SERVICES.map((s) => `\`${s}\``).join(", ")}. It decides which other inputs apply.`;
  if (COMMON_DESCRIPTIONS[name]) return COMMON_DESCRIPTIONS[name];
  const byDescription = new Map<string, string[]>();
  for (const service of SERVICES) {
    const description = adapterFor(service)!.inputs[name];
    if (description !== undefined) byDescription.set(description, [...(byDescription.get(description) ?? []), service]);
  }
  return [...byDescription].map(([description, services]) => `- ${services.map((s) => `\`${s}\``).join(", ")}: ${description}`).join("\n");
}
