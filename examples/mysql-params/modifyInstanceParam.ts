import * as pulumi from "@pulumi/pulumi";

export interface ModifyInstanceParamArgs {
  region: pulumi.Input<string>;
  instanceId: pulumi.Input<string>;
  params: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Optional API endpoint override (host or URL). */
  endpoint?: pulumi.Input<string>;
}

/**
 * Calls MySQL (CDB) ModifyInstanceParam. It answers before the parameters are applied: the
 * answer's AsyncRequestId names the asynchronous request to wait for. Removing the resource
 * leaves the parameters as they are.
 */
export class ModifyInstanceParam extends pulumi.dynamic.Resource {
  /** The request id for TaskCompletion (`service: "cdb"`). */
  declare readonly asyncRequestId: pulumi.Output<string>;

  constructor(name: string, args: ModifyInstanceParamArgs, opts?: pulumi.CustomResourceOptions) {
    super(modifyInstanceParamProvider, name, { asyncRequestId: undefined, ...args }, opts, "example", "ModifyInstanceParam");
  }
}

const modifyInstanceParamProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    const ParamList = Object.entries(inputs.params as Record<string, string>).map(([Name, CurrentValue]) => ({ Name, CurrentValue }));
    const response = await cdbClient(inputs.region, inputs.endpoint).ModifyInstanceParam({ InstanceIds: [inputs.instanceId], ParamList });
    return { id: `${inputs.instanceId}/${response.AsyncRequestId}`, outs: { ...inputs, asyncRequestId: response.AsyncRequestId } };
  },
};

/** Built in the provider host at call time, so no credential is ever serialized into state. */
function cdbClient(region: string, endpoint: string | undefined) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { cdb } = require("tencentcloud-sdk-nodejs/tencentcloud/services/cdb");
  const { Agent } = require("node:http");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const url = endpoint ? new URL(endpoint.includes("://") ? endpoint : `https://${endpoint}`) : undefined;
  return new cdb.v20170320.Client({
    credential: {
      secretId: process.env.TENCENTCLOUD_SECRET_ID,
      secretKey: process.env.TENCENTCLOUD_SECRET_KEY,
      token: process.env.TENCENTCLOUD_SESSION_TOKEN || process.env.TENCENTCLOUD_SECURITY_TOKEN,
    },
    region,
    // A plain-http endpoint is a local emulator: an explicit agent keeps the SDK off http_proxy.
    profile: url ? { httpProfile: { endpoint: url.host, protocol: `${url.protocol}//`, agent: url.protocol === "http:" ? new Agent() : undefined } } : {},
  });
}
