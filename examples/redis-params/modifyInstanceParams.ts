import * as pulumi from "@pulumi/pulumi";

export interface ModifyInstanceParamsArgs {
  instanceId: pulumi.Input<string>;
  params: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Optional API endpoint override (host or URL). */
  endpoint?: pulumi.Input<string>;
}

/**
 * Calls Redis ModifyInstanceParams. It answers before the change is live: the answer's TaskId
 * names the asynchronous task to wait for. Removing the resource leaves the parameters as they are.
 */
export class ModifyInstanceParams extends pulumi.dynamic.Resource {
  declare readonly changed: pulumi.Output<boolean>;
  /** The task id for TaskCompletion. */
  declare readonly taskId: pulumi.Output<number>;

  constructor(name: string, args: ModifyInstanceParamsArgs, opts?: pulumi.CustomResourceOptions) {
    super(modifyInstanceParamsProvider, name, { changed: undefined, taskId: undefined, ...args }, opts, "example", "ModifyInstanceParams");
  }
}

const modifyInstanceParamsProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    const InstanceParams = Object.entries(inputs.params as Record<string, string>).map(([Key, Value]) => ({ Key, Value }));
    const response = await redisClient(inputs.endpoint).ModifyInstanceParams({ InstanceId: inputs.instanceId, InstanceParams });
    return { id: `${inputs.instanceId}/${response.TaskId}`, outs: { ...inputs, changed: response.Changed, taskId: response.TaskId } };
  },
};

/** Built in the provider host at call time, so no credential is ever serialized into state. */
function redisClient(endpoint: string | undefined) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { redis } = require("tencentcloud-sdk-nodejs/tencentcloud/services/redis");
  const { Agent } = require("node:http");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const url = endpoint ? new URL(endpoint.includes("://") ? endpoint : `https://${endpoint}`) : undefined;
  return new redis.v20180412.Client({
    credential: {
      secretId: process.env.TENCENTCLOUD_SECRET_ID,
      secretKey: process.env.TENCENTCLOUD_SECRET_KEY,
      token: process.env.TENCENTCLOUD_SESSION_TOKEN || process.env.TENCENTCLOUD_SECURITY_TOKEN,
    },
    region: process.env.TENCENTCLOUD_REGION,
    // A plain-http endpoint is a local emulator: an explicit agent keeps the SDK off http_proxy.
    profile: url ? { httpProfile: { endpoint: url.host, protocol: `${url.protocol}//`, agent: url.protocol === "http:" ? new Agent() : undefined } } : {},
  });
}
