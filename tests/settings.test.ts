import { NO_CONFIGURATION, parseSettings, stackConfiguration } from "../provider/settings";

/** Settings are parsed once per edge; every source of one kind of value gets the same verdict. */
const stack = (values: Record<string, string>) => stackConfiguration((key) => values[key]);

test("nothing set: the defaults", () => {
  const { settings, failures } = parseSettings(NO_CONFIGURATION, {});
  expect(failures).toEqual([]);
  expect(settings).toMatchObject({ coordination: { kind: "machine" }, sts: { host: "sts.tencentcloudapi.com", protocol: "https:" }, configured: {} });
  expect(settings.region).toBeUndefined();
  expect(settings.requestsPerSecond).toBeUndefined();
});

test("stack config comes before the environment, as in the official provider", () => {
  const env = { TENCENTCLOUD_REGION: "ap-shanghai", TENCENTCLOUD_DOMAIN: "intl.tencentcloudapi.com", TENCENTCLOUD_PROFILE: "env-profile", TENCENTCLOUD_TASK_REQUESTS_PER_SECOND: "5" };
  const config = stack({ "tencentcloud:region": "ap-beijing", "tencentcloud:profile": "ci", "tencentcloud-task-completion:requestsPerSecond": "3" });
  const { settings, failures } = parseSettings(config, env);
  expect(failures).toEqual([]);
  expect(settings).toMatchObject({ region: "ap-beijing", domain: "intl.tencentcloudapi.com", requestsPerSecond: 3, configured: { profile: "ci" }, sts: { host: "sts.intl.tencentcloudapi.com" } });
  expect(parseSettings(NO_CONFIGURATION, env).settings).toMatchObject({ region: "ap-shanghai", requestsPerSecond: 5, configured: { profile: "env-profile" } });
});

test.each([
  ["region", "tencentcloud:region", "TENCENTCLOUD_REGION", "x@127.0.0.1:9/?-fsi", "expected a region name"],
  ["region with a line break", "tencentcloud:region", "TENCENTCLOUD_REGION", "ap-guangzhou\n", "expected a region name"],
  ["domain", "tencentcloud:domain", "TENCENTCLOUD_DOMAIN", "evil.example/x", "expected a domain"],
  ["profile", "tencentcloud:profile", "TENCENTCLOUD_PROFILE", "../../x", "expected a tccli profile name"],
  ["budget", "tencentcloud-task-completion:requestsPerSecond", "TENCENTCLOUD_TASK_REQUESTS_PER_SECOND", "0x10", "expected requests per second"],
  ["coordination", "tencentcloud-task-completion:coordination", "TENCENTCLOUD_TASK_COORDINATION", "sometimes", "expected"],
])("a malformed %s gets the same verdict from stack config and from env, naming where it was set", (_name, key, variable, value, reason) => {
  const fromStack = parseSettings(stack({ [key]: value }), {}).failures;
  const fromEnv = parseSettings(NO_CONFIGURATION, { [variable]: value }).failures;
  expect(fromStack).toEqual([{ property: key, reason: expect.stringContaining(`stack config ${key}: ${reason}`) }]);
  expect(fromEnv).toEqual([{ property: `env ${variable}`, reason: expect.stringContaining(reason) }]);
});

test("env TENCENTCLOUD_STS_ENDPOINT and the session duration are parsed here, once", () => {
  expect(parseSettings(NO_CONFIGURATION, { TENCENTCLOUD_STS_ENDPOINT: " http://127.0.0.1:9000 ", TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION: "900" }).settings).toMatchObject({
    sts: { protocol: "http:", host: "127.0.0.1:9000", loopback: true },
    sessionDuration: 900,
  });
  expect(parseSettings(NO_CONFIGURATION, { TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION: "2h" }).failures).toEqual([
    { property: "env TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION", reason: "expected whole seconds up to 43200" },
  ]);
});

test("keys given by stack config are kept for the credential chain, with where they came from; a malformed role names its field", () => {
  const { settings, failures } = parseSettings(stack({ "tencentcloud:secretId": "AKIDX", "tencentcloud:secretKey": "k", "tencentcloud:assumeRole": '{"roleArn":"nope"}' }), {});
  expect(settings.configured).toMatchObject({ secretId: "AKIDX", secretKey: "k", keysOrigin: "stack config tencentcloud:secretId / tencentcloud:secretKey" });
  expect(failures).toEqual([{ property: "tencentcloud:assumeRole", reason: expect.stringContaining("stack config tencentcloud:assumeRole: assumeRole.roleArn: expected a role ARN") }]);
});
