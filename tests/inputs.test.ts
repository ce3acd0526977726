import { parseEndpoint } from "../provider/endpoint";
import { inputDefaults, parseTaskInputs, UNKNOWN, type InputDefaults } from "../provider/inputs";
import { NO_CONFIGURATION, parseSettings } from "../provider/settings";
import { BAD_INPUTS as bad, clb, clbTask, redis } from "./support/badInputs";

/** The inputs as recorded and the failures: what Check answers; defaults as outside Pulumi, with nothing set. */
function checkTaskInputs(raw: Record<string, unknown>, defaults: InputDefaults = inputDefaults(parseSettings(NO_CONFIGURATION, {}).settings, undefined)) {
  const { inputs, failures } = parseTaskInputs(raw, defaults);
  return { inputs, failures };
}

describe("parseTaskInputs", () => {
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
    const { inputs, failures } = checkTaskInputs({ service: "clb", taskId: clbTask }, { region: { value: "ap-beijing" }, domain: "intl.tencentcloudapi.com" });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ region: "ap-beijing", endpoint: "clb.intl.tencentcloudapi.com" });
    expect(checkTaskInputs({ ...clb, endpoint: "http://127.0.0.1:9000" }, { region: { value: "ap-beijing" }, domain: "x.com" }).inputs).toMatchObject({
      region: "ap-guangzhou",
      endpoint: "http://127.0.0.1:9000",
    });
  });

  test("values unknown during preview pass unchecked", () => {
    expect(checkTaskInputs({ service: "clb", taskId: UNKNOWN, region: UNKNOWN }).failures).toEqual([]);
    expect(checkTaskInputs({ service: UNKNOWN, taskId: UNKNOWN }).failures).toEqual([]);
    expect(checkTaskInputs({ ...redis, taskId: UNKNOWN, endpoint: UNKNOWN, timeoutSeconds: UNKNOWN, triggers: UNKNOWN }).failures).toEqual([]);
  });


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
    ["clb.intl.tencentcloudapi.com", { protocol: "https:", host: "clb.intl.tencentcloudapi.com", loopback: false }],
    ["https://clb.ap-shanghai-fsi.tencentcloudapi.com", { protocol: "https:", host: "clb.ap-shanghai-fsi.tencentcloudapi.com", loopback: false }],
    ["http://127.0.0.1:9000", { protocol: "http:", host: "127.0.0.1:9000", loopback: true }],
    ["http://localhost:9000/", { protocol: "http:", host: "localhost:9000", loopback: true }],
    ["http://[::1]:9000", { protocol: "http:", host: "[::1]:9000", loopback: true }],
    ["127.0.0.1:9000", { protocol: "https:", host: "127.0.0.1:9000", loopback: true }],
    ["https://localhost:8443", { protocol: "https:", host: "localhost:8443", loopback: true }],
  ])("%s", (value, expected) => {
    expect(parseEndpoint(value)).toEqual(expected);
  });
});
