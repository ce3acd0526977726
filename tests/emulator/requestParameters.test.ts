import { readFileSync } from "node:fs";
import type { ClientConfig } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import * as cvm from "tencentcloud-sdk-nodejs/tencentcloud/services/cvm";
import * as lighthouse from "tencentcloud-sdk-nodejs/tencentcloud/services/lighthouse";
import { generateRequestParameters, GENERATED_FILE } from "../../scripts/requestParameters";
import { DEFAULT_CREDENTIAL, startEmulator, type RunningEmulator } from "../../emulator";
import { checkParameters, type Parameter, type SdkType } from "../../emulator/parameters";
import { SERVICE_NAMES, SERVICE_TABLE } from "../../emulator/services";
import { ApiError } from "../../emulator/apiError";
import { REGION } from "./helpers";

describe("the request parameters the emulator takes: the SDK's request models", () => {
  test("emulator/requestParameters.ts matches the installed SDK's models (else: npm run generate:parameters)", () => {
    expect(readFileSync(GENERATED_FILE, "utf8")).toBe(generateRequestParameters());
  });

  test.each(SERVICE_NAMES)("%s: every action has its model's parameters, and rules only for those", (service) => {
    for (const action of SERVICE_TABLE[service].actions) expect(Object.keys(action.parameters).length).toBeGreaterThan(0);
  });

  /** A value of each JSON type the models declare. */
  const SAMPLE: Record<SdkType, unknown> = {
    string: "x",
    number: 1,
    boolean: true,
    object: {},
    "string[]": ["x"],
    "number[]": [1],
    "boolean[]": [true],
    "object[]": [{}],
  };

  test.each(SERVICE_NAMES)("%s: a request with every documented parameter, each of its type, is never refused for its names or types", (service) => {
    for (const action of SERVICE_TABLE[service].actions) {
      const request = Object.fromEntries(Object.entries(action.parameters).map(([name, { type }]: [string, Parameter]) => [name, SAMPLE[type]]));
      try {
        checkParameters(action.parameters, request);
      } catch (error) {
        // A value the emulator's own rules refuse is fine; a name or a type is not.
        expect({ action: action.name, code: (error as ApiError).code }).toEqual({ action: action.name, code: "InvalidParameterValue" });
      }
    }
  });
});

describe("optional parameters through the SDK", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ taskDefaults: { durationMs: 0 } });
  });
  afterAll(() => emulator.close());

  function client<T>(Client: new (config: ClientConfig) => T): T {
    return new Client({ credential: DEFAULT_CREDENTIAL, region: REGION, profile: { httpProfile: { endpoint: new URL(emulator.url).host, protocol: "http://" } } });
  }

  test("Lighthouse and CVM RebootInstances take StopType; a wrong type or an unknown name is still refused", async () => {
    const light = client(lighthouse.lighthouse.v20200324.Client);
    const rebooted = await light.RebootInstances({ InstanceIds: ["lhins-0a1b2c3d"], StopType: "SOFT_FIRST" });
    await expect(light.DescribeInstances({ InstanceIds: ["lhins-0a1b2c3d"] })).resolves.toMatchObject({
      InstanceSet: [{ LatestOperation: "RebootInstances", LatestOperationRequestId: rebooted.RequestId }],
    });
    const compute = client(cvm.cvm.v20170312.Client);
    await expect(compute.RebootInstances({ InstanceIds: ["ins-0a1b2c3d"], StopType: "HARD", ForceReboot: false })).resolves.toBeDefined();
    await expect(compute.request("RebootInstances", { InstanceIds: ["ins-0a1b2c3d"], StopType: 1 })).rejects.toMatchObject({
      code: "InvalidParameter",
      message: expect.stringContaining("`StopType` must be of type string"),
    });
    await expect(compute.request("RebootInstances", { InstanceIds: ["ins-0a1b2c3d"], Stop: "HARD" })).rejects.toMatchObject({ code: "UnknownParameter" });
  });
});
