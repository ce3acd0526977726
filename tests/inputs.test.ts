import { checkTaskInputs, parseEndpoint, UNKNOWN } from "../provider/inputs";

const clbTask = "55c85074-3e7f-4c6d-864f-673660d4f8de";
const clb = { service: "clb", taskId: clbTask, region: "ap-guangzhou" };
const redis = { service: "redis", taskId: 18215 };

describe("checkTaskInputs", () => {
  test("valid inputs pass with defaults applied", () => {
    expect(checkTaskInputs(clb)).toEqual({
      inputs: { ...clb, timeoutSeconds: 1800, failOnTaskFailure: true },
      failures: [],
    });
    expect(checkTaskInputs({ service: "clb", dealName: "20191122000001", region: "ap-shanghai-fsi" }).failures).toEqual([]);
    expect(checkTaskInputs({ ...redis, taskId: "18215", timeoutSeconds: 60, failOnTaskFailure: false, triggers: ["a", 1] })).toEqual({
      inputs: { service: "redis", taskId: 18215, timeoutSeconds: 60, failOnTaskFailure: false, triggers: ["a", 1] },
      failures: [],
    });
  });

  test("region and endpoint defaults come from stack config or environment, inputs win", () => {
    const { inputs, failures } = checkTaskInputs({ service: "clb", taskId: clbTask }, { region: "ap-beijing", domain: "intl.tencentcloudapi.com" });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ region: "ap-beijing", endpoint: "clb.intl.tencentcloudapi.com" });
    expect(checkTaskInputs({ ...clb, endpoint: "http://127.0.0.1:9000" }, { region: "ap-beijing", domain: "x.com" }).inputs).toMatchObject({
      region: "ap-guangzhou",
      endpoint: "http://127.0.0.1:9000",
    });
  });

  test("values unknown during preview pass unchecked", () => {
    expect(checkTaskInputs({ service: "clb", taskId: UNKNOWN, region: UNKNOWN }).failures).toEqual([]);
    expect(checkTaskInputs({ service: UNKNOWN, taskId: UNKNOWN }).failures).toEqual([]);
    expect(checkTaskInputs({ ...redis, taskId: UNKNOWN, endpoint: UNKNOWN, timeoutSeconds: UNKNOWN, triggers: UNKNOWN }).failures).toEqual([]);
  });

  // Each row: inputs, the property the failure must name, words the reason must contain.
  const bad: [string, Record<string, unknown>, string, string][] = [
    ["service missing", { taskId: clbTask, region: "ap-guangzhou" }, "service", `"clb" or "redis"`],
    ["service unknown", { ...clb, service: "elb" }, "service", `got "elb"`],
    ["service upper case", { ...clb, service: "CLB" }, "service", `got "CLB"`],
    ["service not a string", { ...clb, service: 7 }, "service", "got 7"],
    ["clb with neither id", { service: "clb", region: "ap-guangzhou" }, "taskId", "required for clb"],
    ["clb with both ids", { ...clb, dealName: "20191122000001" }, "dealName", "not both"],
    ["clb taskId a number", { ...clb, taskId: 123 }, "taskId", "RequestId string"],
    ["clb taskId with spaces", { ...clb, taskId: "55c85074 3e7f" }, "taskId", "RequestId string"],
    ["clb taskId empty", { ...clb, taskId: "" }, "taskId", "RequestId string"],
    ["clb dealName empty", { service: "clb", dealName: " ", region: "ap-guangzhou" }, "dealName", "non-empty"],
    ["clb without region", { service: "clb", taskId: clbTask }, "region", "TENCENTCLOUD_REGION"],
    ["redis without taskId", { service: "redis" }, "taskId", "required for redis"],
    ["redis with dealName", { ...redis, dealName: "x" }, "dealName", "only clb"],
    ["redis taskId zero", { ...redis, taskId: 0 }, "taskId", "positive integer"],
    ["redis taskId negative", { ...redis, taskId: -5 }, "taskId", "positive integer"],
    ["redis taskId fraction", { ...redis, taskId: 1.5 }, "taskId", "positive integer"],
    ["redis taskId word", { ...redis, taskId: "abc" }, "taskId", "positive integer"],
    ["redis taskId leading zero", { ...redis, taskId: "0123" }, "taskId", "positive integer"],
    ["redis taskId too large", { ...redis, taskId: "90071992547409930" }, "taskId", "positive integer"],
    ["region upper case", { ...clb, region: "AP-GUANGZHOU" }, "region", "ap-guangzhou"],
    ["region a city", { ...clb, region: "Guangzhou" }, "region", "region name"],
    ["region with spaces", { ...redis, region: "ap guangzhou" }, "region", "region name"],
    ["timeout zero", { ...clb, timeoutSeconds: 0 }, "timeoutSeconds", "from 1 to 86400"],
    ["timeout above a day", { ...clb, timeoutSeconds: 86401 }, "timeoutSeconds", "from 1 to 86400"],
    ["timeout a string", { ...clb, timeoutSeconds: "30m" }, "timeoutSeconds", `got "30m"`],
    ["timeout infinite", { ...clb, timeoutSeconds: Infinity }, "timeoutSeconds", "from 1 to 86400"],
    ["failOnTaskFailure a string", { ...clb, failOnTaskFailure: "false" }, "failOnTaskFailure", "true or false"],
    ["triggers not an array", { ...clb, triggers: "v2" }, "triggers", "an array"],
    ["plain http to a remote host", { ...clb, endpoint: "http://clb.tencentcloudapi.com" }, "endpoint", "loopback"],
    ["endpoint with a path", { ...clb, endpoint: "https://clb.tencentcloudapi.com/v3" }, "endpoint", "only a scheme, host and port"],
    ["endpoint with credentials", { ...clb, endpoint: "https://user:pw@clb.tencentcloudapi.com" }, "endpoint", "only a scheme"],
    ["endpoint ftp", { ...clb, endpoint: "ftp://clb.tencentcloudapi.com" }, "endpoint", "https://"],
    ["endpoint not a host", { ...clb, endpoint: "clb tencentcloudapi com" }, "endpoint", "expected a host"],
    ["endpoint not a string", { ...clb, endpoint: 443 }, "endpoint", "a string"],
    ["misspelled property", { ...clb, taskID: clbTask }, "taskID", `did you mean "taskId"`],
    ["unknown property", { ...clb, wait: true }, "wait", "unknown property"],
  ];

  test.each(bad)("%s: fails naming the property and the expected form", (_name, raw, property, words) => {
    const { failures } = checkTaskInputs(raw);
    const failure = failures.find((f) => f.property === property);
    expect(failure).toBeDefined();
    expect(failure!.reason).toContain(words);
  });

  test(`the table has at least 25 distinct bad inputs (has ${bad.length})`, () => {
    expect(new Set(bad.map(([name]) => name)).size).toBe(bad.length);
    expect(bad.length).toBeGreaterThanOrEqual(25);
  });
});

describe("parseEndpoint", () => {
  test.each([
    ["clb.intl.tencentcloudapi.com", { protocol: "https://", host: "clb.intl.tencentcloudapi.com", loopback: false }],
    ["https://clb.ap-shanghai-fsi.tencentcloudapi.com", { protocol: "https://", host: "clb.ap-shanghai-fsi.tencentcloudapi.com", loopback: false }],
    ["http://127.0.0.1:9000", { protocol: "http://", host: "127.0.0.1:9000", loopback: true }],
    ["http://localhost:9000/", { protocol: "http://", host: "localhost:9000", loopback: true }],
    ["http://[::1]:9000", { protocol: "http://", host: "[::1]:9000", loopback: true }],
    ["127.0.0.1:9000", { protocol: "https://", host: "127.0.0.1:9000", loopback: true }],
  ])("%s", (value, expected) => {
    expect(parseEndpoint(value)).toEqual(expected);
  });
});
